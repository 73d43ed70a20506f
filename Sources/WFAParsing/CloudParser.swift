import WFACore

/// Cloud audit logs: AWS CloudTrail, the Microsoft 365 unified audit log, and Entra ID sign-in and
/// audit logs (as the Graph API returns them or wrapped by Azure Monitor diagnostic export).
enum CloudParser {
    static func parseCloudTrail(_ record: JSONRecord, into artifact: inout Artifact) {
        artifact.vendor = "aws"
        artifact.product = record.string("eventSource") ?? "cloudtrail"
        artifact.streamName = "aws_cloudtrail"
        let name = record.string("eventName") ?? ""
        artifact.vendorCode = name
        artifact.action = name
        if let time = record.string("eventTime"), let date = JSONTime.parse(time) { artifact.timestamp = date }
        if let source = record.string("sourceIPAddress"), !artifact.assign(source, to: .clientIP) {
            // AWS services call on a user's behalf with their own name, e.g. "ec2.amazonaws.com".
            artifact.assign(source, to: .clientHostname)
        }
        let user =
            record.string("userIdentity.userName") ?? record.string(
                "userIdentity.sessionContext.sessionIssuer.userName")
            ?? record.string("userIdentity.principalId")
        if let user { artifact.assignUser(user) }
        for key in [
            "userIdentity.arn", "userIdentity.type", "userIdentity.accountId", "awsRegion", "userAgent",
            "errorCode", "errorMessage", "eventID", "recipientAccountId", "requestID",
        ] {
            if let value = record.string(key) { artifact.fields[key] = value }
        }
        let failed = record.string("errorCode") != nil
        if name == "ConsoleLogin" {
            let outcome = record.string("responseElements.ConsoleLogin")
            artifact.messageType = outcome == "Success" && !failed ? .authSuccess : .authFailure
            artifact.severityCode = artifact.messageType == .authFailure ? .medium : .info
        } else if [
            "Create", "Delete", "Put", "Update", "Attach", "Detach", "Modify", "Authorize", "Revoke", "Stop",
            "Disable", "Enable",
        ].contains(where: name.hasPrefix) {
            artifact.messageType = .configChange
            artifact.severityCode = .low
        } else {
            artifact.messageType = "cloud_api_call"
        }
        if failed { artifact.tags.append("error") }
    }

    static func parseMicrosoft365(_ record: JSONRecord, into artifact: inout Artifact) {
        artifact.vendor = "microsoft"
        artifact.product = record.string("Workload") ?? "office365"
        artifact.streamName = "m365_audit"
        let operation = record.string("Operation") ?? ""
        artifact.action = operation
        artifact.vendorCode = record.string("RecordType")
        if let time = record.string("CreationTime"), let date = JSONTime.parse(time + (time.hasSuffix("Z") ? "" : "Z"))
        {
            artifact.timestamp = date
        }
        if let client = record.string("ClientIP") ?? record.string("ClientIPAddress") {
            // "1.2.3.4", "1.2.3.4:5678" or "[2001:db8::1]:5678"
            if let address = EntityExtractor.address(ArraySlice(client.utf8)) {
                artifact.clientIP = address
            } else {
                artifact.fields["ClientIP"] = client
            }
        }
        if let user = record.string("UserId") {
            artifact.assignUser(user)
            if user.contains("@") { artifact.assign(user, to: .emailFrom) }
        }
        for key in ["Id", "OrganizationId", "ResultStatus", "UserType", "ObjectId", "UserAgent", "LogonError"] {
            if let value = record.string(key) { artifact.fields[key] = value }
        }
        switch operation {
        case "UserLoggedIn": artifact.messageType = .authSuccess
        case "UserLoginFailed":
            artifact.messageType = .authFailure
            artifact.severityCode = .medium
        case "New-InboxRule", "Set-InboxRule", "UpdateInboxRules", "Set-Mailbox", "Add-MailboxPermission",
            "Add member to role.", "Update user.", "Add user.", "Delete user.":
            artifact.messageType = .configChange
            artifact.severityCode = .low
        case "FileDownloaded", "FileSyncDownloadedFull": artifact.messageType = "file_access"
        default: artifact.messageType = "cloud_audit"
        }
    }

    /// The sign-in or audit record, unwrapped from Azure Monitor's `{category, properties}` export.
    static func entraRecord(_ record: JSONRecord) -> JSONRecord? {
        if let category = record.string("category"), category.hasSuffix("SignInLogs") || category == "AuditLogs",
            let properties = record.record("properties")
        {
            return properties
        }
        if record.object["userPrincipalName"] != nil, record.object["createdDateTime"] != nil { return record }
        if record.object["activityDisplayName"] != nil, record.object["activityDateTime"] != nil { return record }
        return nil
    }

    static func parseEntra(_ record: JSONRecord, into artifact: inout Artifact) {
        artifact.vendor = "microsoft"
        artifact.product = "entra_id"
        if let activity = record.string("activityDisplayName") {
            artifact.streamName = "entra_audit"
            artifact.action = activity
            if let time = record.string("activityDateTime"), let date = JSONTime.parse(time) {
                artifact.timestamp = date
            }
            if let user = record.string("initiatedBy.user.userPrincipalName") { artifact.assignUser(user) }
            if let address = record.string("initiatedBy.user.ipAddress") { artifact.assign(address, to: .clientIP) }
            if let result = record.string("result") { artifact.fields["result"] = result }
            if let category = record.string("category") { artifact.fields["category"] = category }
            if let targets = record.value("targetResources") {
                for target in targets.elements {
                    if let name = target["userPrincipalName"]?.string { artifact.fields["target_user"] = name }
                }
            }
            artifact.messageType = .configChange
            artifact.severityCode = .low
            return
        }
        artifact.streamName = "entra_signin"
        if let time = record.string("createdDateTime"), let date = JSONTime.parse(time) { artifact.timestamp = date }
        if let user = record.string("userPrincipalName") {
            artifact.assignUser(user)
            artifact.assign(user, to: .emailFrom)
        }
        if let address = record.string("ipAddress") { artifact.assign(address, to: .clientIP) }
        artifact.action = record.string("appDisplayName")
        for key in [
            "appDisplayName", "clientAppUsed", "location.city", "location.countryOrRegion", "status.failureReason",
            "deviceDetail.operatingSystem", "deviceDetail.browser", "conditionalAccessStatus", "riskLevelDuringSignIn",
            "correlationId", "id",
        ] {
            if let value = record.string(key) { artifact.fields[key] = value }
        }
        let code = record.string("status.errorCode") ?? "0"
        artifact.fields["status.errorCode"] = code
        artifact.messageType = code == "0" ? .authSuccess : .authFailure
        artifact.severityCode = code == "0" ? .info : .medium
    }
}
