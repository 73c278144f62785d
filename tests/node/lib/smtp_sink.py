#!/usr/bin/python3
"""A small SMTP server for the Node tests, on Debian's python3-aiosmtpd.

Accepts every message on 127.0.0.1 and writes each one, as received, to
<dir>/<time_ns>-<n>.eml (a hidden temp file renamed into place, so a reader never sees half a
message), after two headers naming the envelope: X-Envelope-From and X-Envelope-To.
Prints "LISTENING <port>" once it accepts connections; stops on SIGTERM or SIGINT.

usage: smtp_sink.py --dir FOLDER [--port N]    (N = 0, the default, picks a free port)
"""
import argparse
import asyncio
import itertools
import os
import signal
import time

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%d.eml" % (time.time_ns(), next(self.counter))
        temp = os.path.join(self.folder, "." + name + ".tmp")
        envelope_headers = "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (
            envelope.mail_from, ", ".join(envelope.rcpt_tos))
        with open(temp, "wb") as f:
            f.write(envelope_headers.encode("utf-8"))
            f.write(envelope.original_content or envelope.content)
            f.flush()
            os.fsync(f.fileno())
        os.rename(temp, os.path.join(self.folder, name))
        return "250 OK"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    loop = asyncio.get_running_loop()
    handler = Sink(args.dir)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.localhost"), host="127.0.0.1", port=args.port)
    print("LISTENING %d" % server.sockets[0].getsockname()[1], flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
