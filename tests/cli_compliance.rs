//! `twotier resellers list` says an unchecked reseller's compliance is unknown: `null` in
//! `--json`, "MPA/POR unknown" in the table; a known failure stays as it was.

mod common;

use common::sandbox::{Sandbox, json_array, json_of, run_on};

#[test]
fn resellers_list_shows_unknown_compliance_as_null_and_in_words() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("demo.db");
    let out = sandbox.run(&["demo", "--db", db.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let list = json_of(&sandbox, &db, &["resellers", "list", "--json"]);
    let find = |name: &str| {
        json_array(&list)
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {list:#}"))
            .clone()
    };
    let wide = find("Wide World Integrators");
    assert!(
        wide["mpa_signed"].is_null() && wide["por_valid"].is_null(),
        "{wide:#}"
    );
    let fourth = find("Fourth Coffee Technologies");
    assert_eq!(fourth["mpa_signed"], false, "{fourth:#}");
    assert_eq!(fourth["por_valid"], true, "{fourth:#}");
    let adatum = find("Adatum IT Services");
    assert_eq!(
        (&adatum["mpa_signed"], &adatum["por_valid"]),
        (&true.into(), &true.into())
    );
    let out = run_on(&sandbox, &db, &["resellers", "list"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in\n{text}"))
            .to_owned()
    };
    assert!(
        line("Wide World Integrators").contains("Active, MPA/POR unknown"),
        "{text}"
    );
    assert!(
        line("Fourth Coffee Technologies").contains("Active, MPA not signed"),
        "{text}"
    );
    assert!(!line("Adatum IT Services").contains("unknown"), "{text}");
}
