"""A real SMTP server for papertrend's integration tests (aiosmtpd).

Saves every accepted message to a Maildir (adding X-Envelope-From,
X-Envelope-To and X-Auth-User headers), offers STARTTLS (--cert/--key) or
implicit TLS (--smtps), AUTH PLAIN/LOGIN (--user/--password), and can answer
550 or 451 to chosen recipients. Fault injection for the reliability tests:
--drop-after-data saves the message to a separate Maildir (--dropped-maildir,
default "Dropped" next to --maildir) and then aborts the connection instead
of answering 250; --delay-data SECONDS saves the message, then waits that
long before answering 250 (a window in which to kill the client). Adapted from the verified script in
notes/ecosystem.md section 2. Listens on 127.0.0.1 only; stops on SIGTERM.
"""
import argparse, asyncio, mailbox, os, signal, ssl, sys
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
ap.add_argument("--drop-after-data", action="store_true")
ap.add_argument("--dropped-maildir")
ap.add_argument("--delay-data", type=float, default=0.0)
a = ap.parse_args()


class Handler:
    def __init__(self):
        self.md = mailbox.Maildir(a.maildir, create=True)
        dropped = a.dropped_maildir or os.path.join(
            os.path.dirname(os.path.abspath(a.maildir)), "Dropped"
        )
        self.dropped = mailbox.Maildir(dropped, create=True) if a.drop_after_data else None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if a.reject_rcpt and a.reject_rcpt in address:
            # Named like Postfix does, so the client can tell which one.
            return f"550 5.1.1 <{address}>: no such user"
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
        if self.dropped is not None:
            # The whole body arrived, but the client never gets an answer.
            self.dropped.add(msg)
            print("DATA received; dropping the connection", file=sys.stderr, flush=True)
            server.transport.abort()
            await asyncio.sleep(3600)  # cancelled by connection_lost
            return "421 4.4.2 never sent"
        self.md.add(msg)
        if a.delay_data > 0:
            print(f"DATA received; answering in {a.delay_data}s", file=sys.stderr, flush=True)
            await asyncio.sleep(a.delay_data)
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
