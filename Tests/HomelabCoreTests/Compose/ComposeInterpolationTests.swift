import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Compose variable interpolation")
struct ComposeInterpolationTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var template: String
        var expected: String
        var unset: [String] = []
        var testDescription: String { template }
    }

    static let environment = ["SET": "value", "EMPTY": "", "PORT": "8080", "NESTED": "inner"]

    static let examples: [Example] = [
        Example(template: "plain text", expected: "plain text"),
        Example(template: "${SET}", expected: "value"),
        Example(template: "$SET/path", expected: "value/path"),
        Example(template: "a-${SET}-b", expected: "a-value-b"),
        Example(template: "${MISSING}", expected: "", unset: ["MISSING"]),
        Example(template: "$MISSING", expected: "", unset: ["MISSING"]),
        Example(template: "${MISSING:-fallback}", expected: "fallback"),
        Example(template: "${EMPTY:-fallback}", expected: "fallback"),
        Example(template: "${EMPTY-fallback}", expected: ""),
        Example(template: "${MISSING-fallback}", expected: "fallback"),
        Example(template: "${SET:-fallback}", expected: "value"),
        Example(template: "${MISSING:-${NESTED}}", expected: "inner"),
        Example(template: "${MISSING:-${ALSO_MISSING:-deep}}", expected: "deep"),
        Example(template: "${SET:+alternative}", expected: "alternative"),
        Example(template: "${EMPTY:+alternative}", expected: ""),
        Example(template: "${EMPTY+alternative}", expected: "alternative"),
        Example(template: "${SET:?required}", expected: "value"),
        Example(template: "$$SET", expected: "$SET"),
        Example(template: "cost: $$5", expected: "cost: $5"),
        Example(template: "${PORT}:80", expected: "8080:80"),
        Example(template: "${MISSING:-a:b}", expected: "a:b"),
        Example(template: "ünïcødé ${SET} ✓", expected: "ünïcødé value ✓"),
    ]

    @Test("substitutes", arguments: examples)
    func substitutes(_ example: Example) throws {
        let result = try ComposeInterpolation.interpolate(example.template, environment: Self.environment)
        #expect(result.text == example.expected)
        #expect(result.unset == example.unset)
    }

    @Test(
        "refuses malformed expressions and missing required variables",
        arguments: [
            ("${MISSING:?set MISSING please}", "required variable MISSING is not set or empty: set MISSING please"),
            ("${EMPTY:?}", "required variable EMPTY is not set or empty"),
            ("${MISSING?}", "required variable MISSING is not set"),
            ("${SET", "'${' is not closed"),
            ("price $", "a '$' ends the text"),
            ("echo $1", "'$1' is not a variable"),
            ("${}", "does not start with a variable name"),
            ("${1ABC}", "does not start with a variable name"),
            ("${SET:x}", "is not a valid substitution"),
        ])
    func refuses(_ template: String, _ fragment: String) throws {
        let error = try #require(throws: HomelabError.self) {
            try ComposeInterpolation.interpolate(template, environment: Self.environment)
        }
        #expect(error.code == .invalidArgument)
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    @Test("a required variable's error never shows another variable's value")
    func noValueInErrors() throws {
        let error = try #require(throws: HomelabError.self) {
            try ComposeInterpolation.interpolate("${SET}${GONE:?}", environment: Self.environment)
        }
        #expect(!error.description.contains("value"))
    }

    @Test("in a file: defaults apply, a missing required variable is a located error")
    func inFile() throws {
        let yaml = """
            services:
              app:
                image: ${IMAGE:-busybox:1}
                environment:
                  TOKEN: ${TOKEN:?TOKEN must be set}
                  HOME_DIR: $HOME_DIR
            """
        let issues = ComposeLoader.issues(in: yaml, file: "app.yml")
        #expect(issues.map(\.description) == [
            "app.yml:5:14 services.app.environment.TOKEN: required variable TOKEN is not set or empty: TOKEN must be set"
        ])
        let file = try ComposeLoader.load(yaml: yaml, file: "app.yml", environment: ["TOKEN": "t0k3n"])
        #expect(file.services.first?.image == "busybox:1")
        #expect(file.services.first?.environment["TOKEN"] == .some("t0k3n"))
        #expect(file.warnings.map(\.description) == [
            "app.yml:6:17 services.app.environment.HOME_DIR: variable HOME_DIR is not set; using an empty string"
        ])
    }

    @Test("keys and x- sections are not interpolated")
    func notKeys() throws {
        let yaml = """
            x-unused: ${NOT_CHECKED:?never evaluated}
            services:
              app:
                image: busybox:1
                labels:
                  ${KEY}: value
            """
        let file = try ComposeLoader.load(yaml: yaml)
        #expect(file.services.first?.containerLabels["${KEY}"] == "value")
    }

    @Test("the process environment is never read")
    func noProcessEnvironment() throws {
        // PATH is set in every test process; an empty dictionary must still leave it unset.
        let result = try ComposeInterpolation.interpolate("${PATH:-none}", environment: [:])
        #expect(result.text == "none")
    }
}
