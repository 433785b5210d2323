//! End to end: `cargo xtask diff --base OLD --head NEW --fail-on-breaking` on two temporary
//! spec files, through the built binary.

use std::process::Command;

const BASE: &str = r##"
openapi: 3.0.3
info: {title: Things, version: "1", description: Things.}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: page, in: query, schema: {type: integer, format: int64}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
components:
  schemas:
    Status: {type: string, description: Status., x-extensible-enum: [active, retired]}
    Thing:
      type: object
      properties:
        size: {type: integer, format: int64}
        status: {$ref: "#/components/schemas/Status"}
"##;

fn xtask_diff(dir: &std::path::Path, head: &str) -> (bool, String) {
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    std::fs::write(&old, BASE).expect("write base");
    std::fs::write(&new, head).expect("write head");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff", "--base"])
        .arg(&old)
        .arg("--head")
        .arg(&new)
        .arg("--fail-on-breaking")
        .output()
        .expect("xtask runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn two_spec_files() {
    let dir = std::env::temp_dir().join(format!("xtask-diff-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");

    let breaking = BASE
        .replace("[active, retired]", "[active]")
        .replace(
            "{name: page, in: query, schema",
            "{name: page, in: query, required: true, schema",
        )
        .replace(
            "size: {type: integer, format: int64}",
            "size: {type: string}",
        );
    let (ok, report) = xtask_diff(&dir, &breaking);
    assert!(
        !ok,
        "--fail-on-breaking fails on a breaking change:\n{report}"
    );
    for line in [
        "**3 breaking changes**",
        "- **breaking** `listThings` (`GET /things`): parameter `page` (query) is now required",
        "- **breaking** `Status`: enum value `retired` removed",
        "- **breaking** `Thing`.`size`: type changed from integer(int64) to string",
    ] {
        assert!(report.contains(line), "missing `{line}` in\n{report}");
    }

    let (ok, report) = xtask_diff(
        &dir,
        &BASE.replace("[active, retired]", "[active, retired, lost]"),
    );
    assert!(ok, "an added open-enum value is not breaking:\n{report}");
    assert!(report.contains("No breaking change"), "{report}");

    let _ = std::fs::remove_dir_all(&dir);
}
