import Foundation
extension MatchboxData {
    /// Checks the data directory as matchbox will use it, every problem with its file:
    /// - files that do not parse, groups and profiles without an ID or whose ID differs from the file name;
    /// - a group's profile that does not exist, a `mac` selector that does not parse (matchbox skips the group);
    /// - two groups with identical selectors (matchbox's choice between them is undefined), more than one default;
    /// - templates a profile names that do not exist, and every template rendered for every group that uses it,
    ///   with the group's metadata and selectors as matchbox would (`missingkey=error`): a missing key or an
    ///   unsupported construct is reported at its line and column;
    /// - `/assets/...` boot files that are not in `assets/` (warnings: they may be served from elsewhere).
    public func validate() -> [MatchboxIssue] {
        var issues = unreadable
        for (key, profile) in profileFiles.sorted(by: { $0.key < $1.key }) {
            let file = "profiles/\(key).json"
            if profile.id.isEmpty {
                issues.append(MatchboxIssue(file: file, message: "the profile has no id; matchbox refuses it"))
            } else if profile.id != key {
                issues.append(MatchboxIssue(
                    file: file, message: "id '\(profile.id)' differs from the file name; groups find this profile as '\(key)'", severity: .warning))
            }
            for (directory, id) in profile.templates where templates["\(directory)/\(id)"] == nil {
                issues.append(MatchboxIssue(file: file, message: "names \(directory) template '\(id)', but there is no \(directory)/\(id)"))
            }
            if let boot = profile.boot {
                if boot.kernel.isEmpty {
                    issues.append(MatchboxIssue(file: file, message: "boot has no kernel: /ipxe would answer a script that cannot boot"))
                }
                for asset in [boot.kernel] + boot.initrd where asset.hasPrefix("/assets/") {
                    let first = asset.dropFirst("/assets/".count).split(separator: "/").first.map(String.init) ?? ""
                    if !assets.contains(first) {
                        issues.append(MatchboxIssue(
                            file: file, message: "\(asset) is not under assets/ (\(first) is missing)", severity: .warning))
                    }
                }
            }
        }
        var defaults: [String] = []
        var bySelectors: [String: String] = [:]
        for (key, group) in groupFiles.sorted(by: { $0.key < $1.key }) {
            let file = "groups/\(key).json"
            if group.id.isEmpty {
                issues.append(MatchboxIssue(file: file, message: "the group has no id", severity: .warning))
            } else if group.id != key {
                issues.append(MatchboxIssue(file: file, message: "id '\(group.id)' differs from the file name '\(key)'", severity: .warning))
            }
            var loadable = true
            for (name, value) in group.selector where name.lowercased() == "mac" && Matchbox.MAC(value) == nil {
                issues.append(MatchboxIssue(file: file, message: "selector \(name)='\(value)' is not a MAC address; matchbox skips this group"))
                loadable = false
            }
            if group.profile.isEmpty {
                issues.append(MatchboxIssue(file: file, message: "the group names no profile"))
            } else if profile(group.profile) == nil {
                issues.append(MatchboxIssue(
                    file: file, message: "profile '\(group.profile)' does not exist (no usable profiles/\(group.profile).json)"))
            }
            guard loadable else { continue }
            if group.selector.isEmpty { defaults.append(key) }
            let selectors = group.selectorString
            if let earlier = bySelectors[selectors] {
                let shown = selectors.isEmpty ? "no selectors (both are default groups)" : "the same selectors (\(selectors))"
                issues.append(MatchboxIssue(
                    file: file, message: "\(shown) as groups/\(earlier).json: which one a machine gets is undefined"))
            } else {
                bySelectors[selectors] = key
            }
            if let profile = profile(group.profile) { issues += renderIssues(group: group, key: key, profile: profile) }
        }
        return issues
    }

    /// Renders the profile's templates for `group`, as a machine matching it exactly would ask.
    func renderIssues(group: Matchbox.Group, key: String, profile: Matchbox.Profile) -> [MatchboxIssue] {
        var issues: [MatchboxIssue] = []
        let query = group.selector.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let data = Matchbox.templateData(group: group, query: query)
        for (directory, id) in profile.templates {
            let path = "\(directory)/\(id)"
            guard let text = templates[path] else { continue }
            if directory == "ignition", id.hasSuffix(".ign") || id.hasSuffix(".ignition") { continue }
            do {
                _ = try Matchbox.Template(text, name: path).render(data)
            } catch {
                let message = error.isUnsupported
                    ? "not checked: \(error.message)"
                    : "\(error.message) (rendering for group \(key))"
                issues.append(MatchboxIssue(
                    file: path, line: error.line, column: error.column, message: message, severity: error.isUnsupported ? .warning : .error))
            }
        }
        return issues
    }
}
