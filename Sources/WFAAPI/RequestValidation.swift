import HTTPTypes

/// Checks the bounds the API document declares (`minLength`, `maxLength`, `maxItems`), which the
/// generated code does not enforce. The contract test (schemathesis) sends out-of-bounds values for
/// every field, so a bound missing here fails the test command.
enum RequestValidation {
    /// JSON Schema counts string length in code points.
    static func length(_ value: String?, of field: String, in range: ClosedRange<Int>) throws {
        guard let value else { return }
        guard range.contains(value.unicodeScalars.count) else {
            throw APIError.invalid("\(field) must be \(range.lowerBound) to \(range.upperBound) characters")
        }
    }

    static func count(_ values: [some Any], of field: String, atMost maximum: Int) throws {
        guard values.count <= maximum else { throw APIError.invalid("\(field) may list at most \(maximum) items") }
    }
}

extension Components.Schemas.LoginRequest {
    func validated() throws -> Self {
        try RequestValidation.length(self.email, of: "email", in: 3...320)
        try RequestValidation.length(self.password, of: "password", in: 1...1_024)
        return self
    }
}

extension Components.Schemas.CreateUserRequest {
    func validated() throws -> Self {
        try RequestValidation.length(self.email, of: "email", in: 3...320)
        try RequestValidation.length(self.displayName, of: "display_name", in: 1...200)
        try RequestValidation.length(self.roleId, of: "role_id", in: 1...100)
        try RequestValidation.length(self.password, of: "password", in: 12...1_024)
        return self
    }
}

extension Components.Schemas.UpdateUserRequest {
    func validated() throws -> Self {
        try RequestValidation.length(self.displayName, of: "display_name", in: 1...200)
        try RequestValidation.length(self.roleId, of: "role_id", in: 1...100)
        return self
    }
}

extension Components.Schemas.SetPasswordRequest {
    func validated() throws -> Self {
        try RequestValidation.length(self.currentPassword, of: "current_password", in: 0...1_024)
        try RequestValidation.length(self.newPassword, of: "new_password", in: 12...1_024)
        return self
    }
}

extension Components.Schemas.RoleRequest {
    func validated() throws -> Self {
        try RequestValidation.length(self.name, of: "name", in: 1...100)
        try RequestValidation.length(self.description, of: "description", in: 0...1_000)
        try RequestValidation.count(self.permissions, of: "permissions", atMost: 40)
        return self
    }
}

extension Components.Schemas.CreateAPIKeyRequest {
    func validated() throws -> Self {
        try RequestValidation.length(self.name, of: "name", in: 1...100)
        try RequestValidation.length(self.roleId, of: "role_id", in: 1...100)
        return self
    }
}

/// The `{id}` path parameter. No record has an id over 200 characters, so a longer one is "not found".
func validatedID(_ id: String) throws -> String {
    guard (1...200).contains(id.unicodeScalars.count) else {
        throw APIError(.notFound, code: "storage.not_found", "not found")
    }
    return id
}
