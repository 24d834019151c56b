# Runs a sipvicious 0.3.3 tool (Debian `sipvicious`) with two of its bugs
# worked around, so that the security scan attacks the way a careful attacker
# would (scripts/security-scan.ts):
#  - svwar and svcrack ignore -b (their main() never passes the binding
#    address on) and bind to every interface, so the kernel sends from
#    127.0.0.1 -- the dev trunk's address. Every socket is bound to the address
#    given here instead, and the bound address is printed for the scan to check.
#  - svcrack builds the Contact it means to send and then drops it: every
#    REGISTER carries `Contact: sip:123@1.1.1.1`, which a registrar that rings
#    devices where they registered from refuses even with the right password,
#    so svcrack could never report one. Requests without a Contact of their own
#    get one naming the socket the tool really sends from.
# Usage: python3 sipvicious-shim.py <bind address> <tool path> [tool arguments...]
import os
import runpy
import socket
import sys

address, tool = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.realpath(tool)))

_bind = socket.socket.bind


def bind(self, where):
    if isinstance(where, tuple) and where[0] in ('', '0.0.0.0'):
        where = (address,) + tuple(where[1:])
    _bind(self, where)
    host, port = self.getsockname()[:2]
    sys.stderr.write('sipvicious-bind: bound to %s:%s\n' % (host, port))
    sys.stderr.flush()


socket.socket.bind = bind

from sipvicious.libs import svhelper  # noqa: E402  (after the path is set)

_make_request = svhelper.makeRequest


def make_request(*args, **kwargs):
    if 'contact' not in kwargs:
        kwargs['contact'] = 'sip:scan@%s:%s' % (address, kwargs.get('localport', 5060))
    return _make_request(*args, **kwargs)


svhelper.makeRequest = make_request
sys.argv = [tool] + sys.argv[3:]
runpy.run_path(tool, run_name='__main__')
