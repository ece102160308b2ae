//! Architecture rules, checked by reading `src/` as text (std only, no parser crate):
//! no import circles between modules, layers point down (domain < store, partner_center < sync <
//! app < ui; the two rooms of the second layer, local and remote, never reference each other, and the
//! remote one's types never reach app or ui), and no source file over 600 lines. Each failure lists every offending file, line and module.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const MAX_LINES: usize = 600;
/// From the bottom up: a module may reference only its own layer or lower ones.
const LAYERS: [&[&str]; 5] = [
    &["domain"],
    &["store", "partner_center"],
    // The pull: maps the remote room's resources into the local one.
    &["sync"],
    &["app"],
    &["ui"],
];
/// The Partner Center client: a sync layer at the edge maps it to the store; these never see it.
const REMOTE_FORBIDDEN_FROM: &str = "store app ui";
/// What the domain must never reference (the layers above it, and the outside world).
const DOMAIN_FORBIDDEN: &str = "store app ui runtime scripting cli platform sync";

/// One reference from a module to another, and where it is written.
struct Ref {
    from: String,
    to: String,
    file: String,
    line: usize,
}

/// A token (identifier, `::`, or one punctuation character) and its line. Comments and
/// literals never become tokens, so paths written inside them are not references.
type Tok = (String, usize);
/// A path as written (its segments) and the line of its last segment.
type PathAt = (Vec<String>, usize);

fn lex(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    // Skips a literal's body up to and past `end`, honouring `\` escapes unless raw.
    let skip_to = |i: &mut usize, line: &mut usize, end: &str, raw: bool| {
        let end: Vec<char> = end.chars().collect();
        while *i < c.len() && !c[*i..].starts_with(&end) {
            let n = if !raw && c[*i] == '\\' { 2 } else { 1 };
            *line += c[*i..(*i + n).min(c.len())]
                .iter()
                .filter(|&&x| x == '\n')
                .count();
            *i += n;
        }
        *i += end.len();
    };
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            line += usize::from(ch == '\n');
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            // Block comments nest.
            let mut depth = 0;
            while i < c.len() {
                match (c[i], at(i + 1)) {
                    ('/', '*') => (depth, i) = (depth + 1, i + 2),
                    ('*', '/') => (depth, i) = (depth - 1, i + 2),
                    (x, _) => (line, i) = (line + usize::from(x == '\n'), i + 1),
                }
                if depth == 0 {
                    break;
                }
            }
        } else if ch == '"' {
            i += 1;
            skip_to(&mut i, &mut line, "\"", false);
        } else if ch == '\'' && (at(i + 1) == '\\' || at(i + 2) == '\'') {
            // A char literal; otherwise a lifetime, whose name lexes as an identifier.
            i += 1;
            skip_to(&mut i, &mut line, "'", false);
        } else if ch.is_alphanumeric() || ch == '_' {
            // Prefixed literals: b"..", c"..", b'x', r"..", r#".."#, br#".."#.
            let p = usize::from(matches!(ch, 'b' | 'c') && matches!(at(i + 1), 'r' | '"' | '\''));
            let hashes = c[i + p + 1..].iter().take_while(|&&h| h == '#').count();
            if at(i + p) == 'r' && at(i + p + 1 + hashes) == '"' {
                i += p + hashes + 2;
                skip_to(
                    &mut i,
                    &mut line,
                    &format!("\"{}", "#".repeat(hashes)),
                    true,
                );
                continue;
            } else if p == 1 && matches!(at(i + 1), '"' | '\'') {
                let quote = at(i + 1).to_string();
                i += 2;
                skip_to(&mut i, &mut line, &quote, false);
                continue;
            }
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            // Numbers are dropped; identifiers kept.
            if !ch.is_ascii_digit() {
                out.push((c[start..i].iter().collect(), line));
            }
        } else if ch == ':' && at(i + 1) == ':' {
            out.push(("::".into(), line));
            i += 2;
        } else {
            out.push((ch.to_string(), line));
            i += 1;
        }
    }
    out
}

fn is_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// Expands one use tree (`a::{b, c::{d, self}, e::*}`) into its paths, each with the line of
/// its last segment. A glob or `self` stands for the path before it.
fn use_tree(toks: &[Tok], i: &mut usize, mut path: Vec<String>, out: &mut Vec<PathAt>) {
    let tok = |i: usize| toks.get(i).map_or("", |t| t.0.as_str());
    loop {
        match tok(*i) {
            "{" => {
                *i += 1;
                while !matches!(tok(*i), "}" | ";" | "") {
                    use_tree(toks, i, path.clone(), out);
                    *i += usize::from(tok(*i) == ",");
                }
                *i += usize::from(tok(*i) == "}");
                return;
            }
            "*" => {
                *i += 1;
                return out.push((path, toks[*i - 1].1));
            }
            // A leading `::` names an external crate: mark the path so it resolves to nothing.
            "::" if path.is_empty() => path.push("::".into()),
            "::" => {}
            s if is_ident(s) => {
                if s != "self" || path.is_empty() {
                    path.push(s.to_string());
                }
                if tok(*i + 1) != "::" {
                    let line = toks[*i].1;
                    *i += if tok(*i + 1) == "as" { 3 } else { 1 };
                    return out.push((path, line));
                }
            }
            _ => return,
        }
        *i += 1;
    }
}

/// Every path a file names: the leaves of its `use` trees, and each `a::b::c` written in code.
/// `#[cfg(test)] mod name { .. }` blocks are skipped: test code may reach anywhere.
fn paths_in(src: &str) -> Vec<PathAt> {
    // "" matches the module's name, whatever it is.
    const CFG_TEST: [&str; 9] = ["#", "[", "cfg", "(", "test", ")", "]", "mod", ""];
    let toks = lex(src);
    let tok = |i: usize| toks.get(i).map_or("", |t| t.0.as_str());
    let (mut out, mut i) = (Vec::new(), 0);
    while i < toks.len() {
        let s = tok(i);
        if (0..9).all(|k| CFG_TEST[k].is_empty() || tok(i + k) == CFG_TEST[k]) && tok(i + 9) == "{"
        {
            let mut depth = 0;
            i += 9;
            while i < toks.len() {
                depth += i32::from(tok(i) == "{") - i32::from(tok(i) == "}");
                i += 1;
                if depth == 0 {
                    break;
                }
            }
        } else if s == "use" {
            i += 1;
            use_tree(&toks, &mut i, Vec::new(), &mut out);
        } else if is_ident(s) && tok(i + 1) == "::" && (i == 0 || tok(i - 1) != "::") {
            let mut path = vec![s.to_string()];
            while tok(i + 1) == "::" && is_ident(tok(i + 2)) {
                path.push(toks[i + 2].0.clone());
                i += 2;
            }
            out.push((path, toks[i].1));
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// `app/state.rs` → `crate::app::state`; `app/screens/mod.rs` → `crate::app::screens`;
/// `lib.rs` → `crate`. `main.rs` is a crate of its own (the binary), so it has no module here.
fn module_of(rel: &str) -> Option<String> {
    let rel = rel.strip_suffix(".rs")?;
    if rel == "main" || rel.starts_with("bin/") {
        return None;
    }
    let mut parts = vec!["crate"];
    parts.extend(rel.split('/'));
    if matches!(parts.last(), Some(&"mod" | &"lib")) {
        parts.pop();
    }
    Some(parts.join("::"))
}

/// Resolves a path written in module `from` to its longest prefix that is a known module.
/// Paths that start elsewhere (std, other crates, enums, locals) resolve to nothing.
fn resolve(from: &str, path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    let mut full: Vec<String> = from.split("::").map(String::from).collect();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => (full, rest) = (vec!["crate".into()], &rest[1..]),
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                full.pop()?;
                rest = &rest[1..];
            }
        }
        // Edition 2018+: a path may also start with the name of a child module.
        Some(first) if modules.contains(&format!("{from}::{first}")) => {}
        _ => return None,
    }
    full.extend(rest.iter().cloned());
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// Every reference between two distinct modules. References to `crate` (lib.rs, everyone's
/// ancestor) are dropped: they say nothing about which module depends on which.
fn references(files: &[(String, String)]) -> Vec<Ref> {
    let mods: Vec<_> = files
        .iter()
        .filter_map(|(r, s)| Some((module_of(r)?, r, s)))
        .collect();
    let known: BTreeSet<String> = mods.iter().map(|m| m.0.clone()).collect();
    let mut refs = Vec::new();
    for (from, rel, src) in &mods {
        for (path, line) in paths_in(src) {
            if let Some(to) = resolve(from, &path, &known).filter(|t| t != from && t != "crate") {
                refs.push(Ref {
                    from: from.clone(),
                    to,
                    file: format!("src/{rel}"),
                    line,
                });
            }
        }
    }
    refs
}

/// Strongly connected components of more than one module: the modules that both reach and
/// are reached from one another. (Plain reachability; the graph has about a hundred nodes.)
fn circles(refs: &[Ref]) -> Vec<Vec<String>> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in refs {
        graph.entry(&r.from).or_default().insert(&r.to);
        graph.entry(&r.to).or_default();
    }
    let reach = |start| {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![start]);
        while let Some(v) = todo.pop() {
            todo.extend(graph[v].iter().copied().filter(|&w| seen.insert(w)));
        }
        seen
    };
    let reached: BTreeMap<&str, BTreeSet<&str>> = graph.keys().map(|&v| (v, reach(v))).collect();
    let mut found = BTreeSet::new();
    for (&v, from_v) in &reached {
        let scc: Vec<String> = from_v
            .iter()
            .filter(|&&w| reached[w].contains(v))
            .map(|w| w.to_string())
            .collect();
        if scc.len() > 1 {
            found.insert(scc);
        }
    }
    found.into_iter().collect()
}

/// Each circle: its modules, then every edge inside it with one place where it is written.
fn describe_circles(refs: &[Ref]) -> String {
    let mut report = String::new();
    for scc in circles(refs) {
        report += &format!("\ncircle: {}\n", scc.join(", "));
        let mut seen = BTreeSet::new();
        for r in refs
            .iter()
            .filter(|r| scc.contains(&r.from) && scc.contains(&r.to))
        {
            if seen.insert((&r.from, &r.to)) {
                report += &format!("  {} -> {}  ({}:{})\n", r.from, r.to, r.file, r.line);
            }
        }
    }
    report
}

/// Every `.rs` file under src/: (path relative to src/ with `/`, contents).
fn source_files() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    assert!(
        out.iter().any(|(rel, _)| rel == "lib.rs"),
        "src/lib.rs not found"
    );
    out
}

fn top_level(module: &str) -> &str {
    module.split("::").nth(1).unwrap_or("")
}

#[test]
fn no_import_circles() {
    let report = describe_circles(&references(&source_files()));
    assert!(
        report.is_empty(),
        "modules that import each other (break each circle):{report}"
    );
}

#[test]
fn layers_point_down() {
    let rank = |m: &str| LAYERS.iter().position(|l| l.contains(&top_level(m)));
    let mut bad = Vec::new();
    for r in references(&source_files()) {
        let upward = matches!((rank(&r.from), rank(&r.to)), (Some(a), Some(b)) if a < b);
        let forbidden = DOMAIN_FORBIDDEN.split(' ').any(|m| m == top_level(&r.to));
        let remote = top_level(&r.to) == "partner_center"
            && REMOTE_FORBIDDEN_FROM
                .split(' ')
                .any(|m| m == top_level(&r.from));
        let local_from_remote =
            top_level(&r.from) == "partner_center" && top_level(&r.to) == "store";
        if upward || remote || local_from_remote || (top_level(&r.from) == "domain" && forbidden) {
            bad.push(format!("  {}:{}  {} -> {}", r.file, r.line, r.from, r.to));
        }
    }
    let layers: Vec<String> = LAYERS.iter().map(|l| l.join(", ")).collect();
    let (layers, domain) = (layers.join(" < "), DOMAIN_FORBIDDEN);
    let rule = format!(
        "lower layers must not reference higher ones ({layers}; domain: not {domain}; \
         partner_center: not from {REMOTE_FORBIDDEN_FROM}, and not store)"
    );
    assert!(bad.is_empty(), "{rule}:\n{}", bad.join("\n"));
}

#[test]
fn no_source_file_over_600_lines() {
    let long: Vec<String> = source_files()
        .iter()
        .map(|(rel, src)| (rel, src.lines().count()))
        .filter(|&(_, n)| n > MAX_LINES)
        .map(|(rel, n)| format!("  src/{rel}: {n} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them):\n{}",
        long.join("\n")
    );
}

/// The checker can fail for real: a parent imports its child through a multi-line brace group
/// while the child calls back through `super::`. Comments, strings, char literals and test
/// modules add no edges, and a one-way reference (b → a::child) is no circle.
#[test]
fn checker_finds_a_known_circle() {
    let files = [
        ("lib.rs", "pub mod a;\npub mod b;\npub use crate::a::child;\n"),
        ("a/mod.rs", "mod child;\nuse self::child::{\n    Thing,\n    nested::{Other, self},\n};\n"),
        (
            "a/child.rs",
            "// crate::b::in_a_comment\n/* crate::b /* nested */ */\n\
             pub fn f<'a>(x: &'a str) -> char {\n    let _ = (\"crate::b\", r#\"crate::b\"#);\n\
             \n    super::helper(x);\n    '{'\n}\n#[cfg(test)]\nmod tests {\n    use crate::b::T;\n}\n",
        ),
        ("b.rs", "use crate::{\n    a::child::Thing,\n};\nfn g() { crate::a::helper() }\n"),
        ("main.rs", "fn main() { crate::b::g() }\n"),
    ]
    .map(|(rel, src)| (rel.to_string(), src.to_string()));
    let refs = references(&files);
    let edges: BTreeSet<String> = refs
        .iter()
        .map(|r| format!("{} -> {} {}:{}", r.from, r.to, r.file, r.line))
        .collect();
    let expected = [
        "crate -> crate::a::child src/lib.rs:3",
        "crate::a -> crate::a::child src/a/mod.rs:3",
        "crate::a -> crate::a::child src/a/mod.rs:4",
        "crate::a::child -> crate::a src/a/child.rs:6",
        "crate::b -> crate::a src/b.rs:4",
        "crate::b -> crate::a::child src/b.rs:2",
    ];
    assert_eq!(edges, expected.map(String::from).into(), "edges found");
    assert_eq!(
        circles(&refs),
        [["crate::a", "crate::a::child"].map(String::from).to_vec()]
    );
    let report = describe_circles(&refs);
    assert!(
        report.contains("crate::a::child -> crate::a  (src/a/child.rs:6)"),
        "{report}"
    );
    // `use super::*` resolves to the parent itself; `super::super::X` to the grandparent.
    let known: BTreeSet<String> = ["crate", "crate::app", "crate::app::update"]
        .map(String::from)
        .into();
    let up = |p: &str| {
        let path: Vec<String> = p.split("::").map(String::from).collect();
        resolve("crate::app::update::modal", &path, &known)
    };
    assert_eq!(up("super"), Some("crate::app::update".into()));
    assert_eq!(up("super::super::Thing"), Some("crate::app".into()));
}
