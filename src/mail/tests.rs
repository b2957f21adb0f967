//! Unit tests of `mail`.

use super::*;

#[test]
fn secrets_never_print() {
    let s = Secret::new("hunter2".into());
    assert_eq!(format!("{s} {s:?}"), "*** ***");
}

#[test]
fn a_hostile_subject_cannot_add_a_header() {
    let cfg = MailConfig {
        from: "Bot <bot@example.org>".into(),
        to: vec!["a@example.org".into(), "b@example.org".into()],
        ..MailConfig::default()
    };
    let parts = Parts {
        subject: "Hi\r\nBcc: evil@example.com",
        text: "t",
        html: "<p>h</p>",
    };
    let now: jiff::Timestamp = "2026-11-27T08:00:00Z".parse().unwrap();
    let built = build_message(&cfg, &parts, now, "<x@example.org>").unwrap();
    let text = String::from_utf8(built.bytes).unwrap();
    assert!(!text.contains("\r\nBcc:"), "{text}");
    assert_eq!(built.rcpt_to, ["a@example.org", "b@example.org"]);
}
