//! Redirects: no `Referer` is ever sent, so a source URL's query (a token)
//! never reaches the host a redirect points to.

use crate::support::TestEnv;
use crate::support::http::{Reply, Server};

#[test]
fn a_cross_host_redirect_learns_nothing_of_the_source_url() {
    let first = Server::start();
    let second = Server::start();
    // Another host name for the same loopback: "localhost" is not "127.0.0.1".
    let target = format!(
        "http://localhost:{}/next.json",
        second.base().rsplit(':').next().unwrap()
    );
    first.route(
        "/feed.json?token=T0KEN",
        [Reply::new(302, "").header("Location", &target)],
    );
    second.route("/next.json", [Reply::fixture("hf-json/2026-01-02.json")]);
    let env = TestEnv::new();
    let cfg = env.write(
        "config.toml",
        format!(
            "[fetch]\nretries = 0\n\n[[sources]]\nname = \"private\"\nkind = \"url\"\n\
             format = \"hf-json\"\nurl = \"{}/feed.json?token=T0KEN\"\n",
            first.base()
        ),
    );
    let out = env.cmd(["--config"]).arg(&cfg).arg("fetch").run();
    out.code(0);
    assert_eq!(env.export().len(), 3, "the redirect was followed");
    let reqs = second.requests_to("/next.json");
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].header("referer"), None, "{:?}", reqs[0].headers);
    for (k, v) in &reqs[0].headers {
        assert!(!v.contains("T0KEN") && !v.contains("token"), "{k}: {v}");
    }
    // And the first request carries none either.
    assert_eq!(first.requests()[0].header("referer"), None);
}
