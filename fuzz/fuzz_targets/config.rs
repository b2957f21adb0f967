//! The config parser and what reads the parsed values at run time (time
//! zone, day boundaries, mail addresses, source descriptions) on arbitrary
//! text: a bad file must come back as an error naming the file, never a
//! panic, an abort or an allocation sized by a value in the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use papertrend::config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match config::parse(text, "fuzz.toml") {
        Ok(cfg) => {
            let now = "2026-11-27T08:00:00Z".parse().expect("time");
            if let Ok(day) = papertrend::digest::today(&cfg, now) {
                let _ = papertrend::digest::end_of_day(&cfg, day);
            }
            let _ = papertrend::mail::recipients(&cfg.mail);
            let _ = papertrend::mail::password_source(&cfg.mail);
            for s in &cfg.sources {
                if let config::SourceConfig::Url(s) = s {
                    let url = &s.url;
                    // User info is never shown.
                    let shown = papertrend::sanitize::redact_url(url);
                    let authority = url
                        .split_once("://")
                        .and_then(|(_, rest)| rest.split(['/', '?', '#']).next());
                    if let Some((user, _)) = authority.and_then(|a| a.rsplit_once('@'))
                        && !user.is_empty()
                        && !user.contains("***")
                    {
                        assert!(!shown.contains(&format!("{user}@")), "{url} shown as {shown}");
                    }
                }
            }
        }
        Err(e) => {
            assert!(e.to_string().contains("fuzz.toml"), "error without the file name: {e}");
        }
    }
});
