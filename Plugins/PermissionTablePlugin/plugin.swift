import PackagePlugin

/// Generates `OperationPermissions.swift` from the `x-permission` of every operation in the target's
/// `openapi.yaml`, so the permission the server enforces is always the one the document declares.
@main
struct PermissionTablePlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let document = target.directoryURL.appending(path: "openapi.yaml")
        let output = context.pluginWorkDirectoryURL.appending(path: "OperationPermissions.swift")
        return [
            .buildCommand(
                displayName: "Generating operation permissions from \(document.lastPathComponent)",
                executable: try context.tool(named: "PermissionTableGenerator").url,
                arguments: [document.path(), output.path()],
                inputFiles: [document],
                outputFiles: [output])
        ]
    }
}
