"""A real SMTP server for papertrend's integration tests (aiosmtpd).

Saves every accepted message to a Maildir (adding X-Envelope-From,
X-Envelope-To and X-Auth-User headers), offers STARTTLS (--cert/--key) or
implicit TLS (--smtps), AUTH PLAIN/LOGIN (--user/--password), and can answer
550 or 451 to chosen recipients. Adapted from the verified script in
notes/ecosystem.md section 2. Listens on 127.0.0.1 only; stops on SIGTERM.
"""
import argparse, mailbox, signal, ssl
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ap = argparse.ArgumentParser()
ap.add_argument("--host", default="127.0.0.1")
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--maildir", required=True)
ap.add_argument("--cert")
ap.add_argument("--key")
ap.add_argument("--smtps", action="store_true")
ap.add_argument("--user")
ap.add_argument("--password")
ap.add_argument("--reject-rcpt")
ap.add_argument("--tempfail-rcpt")
a = ap.parse_args()


class Handler:
    def __init__(self):
        self.md = mailbox.Maildir(a.maildir, create=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if a.reject_rcpt and a.reject_rcpt in address:
            return "550 5.1.1 no such user"
        if a.tempfail_rcpt and a.tempfail_rcpt in address:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = mailbox.MaildirMessage(envelope.original_content or envelope.content)
        msg["X-Envelope-From"] = envelope.mail_from
        msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        msg["X-Auth-User"] = (
            session.auth_data.login.decode()
            if isinstance(session.auth_data, LoginPassword)
            else ""
        )
        self.md.add(msg)
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    if not a.user:
        return AuthResult(success=True)
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == a.user.encode()
        and auth_data.password == a.password.encode()
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


ctx = None
if a.cert:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)
kw = dict(hostname=a.host, port=a.port, server_hostname="localhost", ready_timeout=10)
if a.user:
    # aiosmtpd counts only STARTTLS as TLS; over SMTPS allow AUTH explicitly.
    kw.update(authenticator=authenticator, auth_require_tls=bool(ctx) and not a.smtps)
if ctx and a.smtps:
    kw.update(ssl_context=ctx)
elif ctx:
    kw.update(tls_context=ctx, require_starttls=True)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
c = Controller(Handler(), **kw)
c.start()
print(f"listening {a.host}:{a.port}", flush=True)
try:
    signal.sigwait({signal.SIGINT, signal.SIGTERM})
finally:
    c.stop()
