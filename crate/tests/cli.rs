//! The native CLI's measuring commands: `soak` runs and reports its growth; bad options are errors
//! with a message, not panics.

use std::process::Command;

fn ganplay(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ganplay")).args(args).output().expect("the ganplay binary runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

#[test]
fn soak_trains_and_reports_growth() {
    let (ok, text) = ganplay(&["soak", "--rounds", "200"]);
    assert!(ok, "{text}");
    assert!(text.contains("| 200 |"), "no row for the last round: {text}");
    assert!(text.contains("200 rounds on cpu") && text.contains("resident"), "no summary: {text}");
}

#[test]
fn bad_options_are_errors_with_a_message() {
    for args in [&["soak", "--device", "tpu"][..], &["bench", "--device", "tpu"], &["soak", "--rounds", "many"], &["bench", "--frobnicate"]] {
        let (ok, text) = ganplay(args);
        assert!(!ok, "{args:?} succeeded: {text}");
        assert!(text.starts_with("ganplay: ") && !text.contains("panicked"), "{args:?}: {text}");
    }
}
