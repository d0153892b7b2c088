"""A TCP front end that serves Tango attribute values, written with asyncio.

    python tcp_front_end.py 8765
    $ printf 'tango://127.0.0.1:10000/test/motor/1/position#dbase=no\n' | nc 127.0.0.1 8765

Each line a client sends is a full attribute name; the answer is ``<value>`` or ``ERR <reason>``.
The reads are ``tango.asyncio.AttributeProxy`` reads: many clients are served concurrently by one
loop, and the proxies are kept for the next requests.
"""

import asyncio
import sys

import tango
import tango.asyncio


class FrontEnd:
    def __init__(self):
        self._proxies = {}

    async def proxy(self, name):
        proxy = self._proxies.get(name)
        if proxy is None:
            proxy = await tango.asyncio.AttributeProxy(name)
            self._proxies[name] = proxy
        return proxy

    async def answer(self, name):
        try:
            value = (await (await self.proxy(name)).read()).value
        except tango.DevFailed as exc:
            return f"ERR {exc.args[0].reason}"
        except Exception as exc:
            return f"ERR {type(exc).__name__}"
        return str(value)

    async def handle(self, reader, writer):
        try:
            while line := await reader.readline():
                writer.write((await self.answer(line.decode().strip()) + "\n").encode())
                await writer.drain()
        finally:
            writer.close()

    async def serve(self, host="127.0.0.1", port=8765):
        return await asyncio.start_server(self.handle, host, port)


async def main(port):
    server = await FrontEnd().serve(port=port)
    print(f"serving Tango attributes on port {server.sockets[0].getsockname()[1]}")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 8765))
