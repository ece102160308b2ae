//! The last test binary of `cargo test`: cargo runs the integration test binaries in the order of
//! their names, so `zz_` comes after all the others. It prints which tests of this run were
//! skipped because a program they need is missing, and how to install it, or that none was;
//! then empties the record. How a run's record is kept apart from an earlier, interrupted run's
//! (and from another run's side by side) is in `tests/common/tools.rs`.
//!
//! Only the tools module, not all of `common`: this binary builds in a moment.

use std::io::Write;

#[path = "common/tools.rs"]
#[allow(dead_code)]
mod tools;

#[test]
fn summary_of_the_skipped_tests() {
    let summary = tools::summary(&tools::take_record());
    // Past libtest's capture, so it shows whether the test passes or not.
    let _ = std::io::stderr().write_all(format!("\n{summary}\n").as_bytes());
}
