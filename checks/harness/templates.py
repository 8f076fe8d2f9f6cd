"""Checks' workers forked from templates, as the checker sees them.

A template (checks/runtime/template.py) is a worker in a sandbox of its
own that imported a check's modules once; each check's worker is forked
from it into a scratch and namespaces of its own, in a few milliseconds
where a new sandbox and a fresh import take tens. There is one template per
spec (the modules preloaded and bcrypt's cost), made when the first check
of that spec is prepared; until it has said hello, checks get a fresh
sandbox as before. A template that refuses to be forked (the import
started a thread, left a descriptor open, wrote to /tmp, made an in-memory
database...), fails its import, takes too long or dies is not used again:
its checks get fresh sandboxes, and the reason is kept for pytest's
verbose output. A child that does not say hello in time is replaced by a
fresh sandbox too, so a template's trouble never becomes a check's
failure.

`CHECKS_TEMPLATES=off` turns templates off. They are never used without
namespaces (a child could not make its own) nor when the sandboxes are
measured by coverage.py (every process there must end by itself).
"""
import os
import socket
import time
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from checks.runtime import protocol
from checks.harness.sandbox import ANSWER_LIMIT
from checks.harness.sandbox import EXIT_WAIT
from checks.harness.sandbox import Gone
from checks.harness.sandbox import Garbled
from checks.harness.sandbox import Late
from checks.harness.sandbox import Sandbox
from checks.harness.sandbox import Scratch
from checks.harness.sandbox import Worker
from checks.harness.sandbox import Zygote

TEMPLATES_ENV = "CHECKS_TEMPLATES"
CHECKS_FOLDER = "checks"  # the children's folders in a template's scratch
# Seconds a template's import may take before it is given up (its checks
# then import afresh, and meet the check's own limit). An honest import
# takes a fraction of a second; one that loops would take a core from the
# checks running beside it.
TEMPLATE_LIMIT = 5.0
HELLO_LIMIT = 5.0  # seconds a forked child may take to say hello
GLANCE = 0.002  # seconds to look for a template's hello without waiting


def wanted(zygote: Zygote) -> bool:
    """Tell whether checks' workers may be forked from templates here."""
    return os.environ.get(TEMPLATES_ENV, "on") != "off" and \
        zygote.containment.mode == "namespaces" and not zygote.measured


class ChildSandbox(Scratch):
    """The part of a template's sandbox that one forked check owns: its
    folder there (checks/N), and the status connection to its waiter."""

    def __init__(self, origin: "Template", number: int,
                 status: socket.socket) -> None:
        """Remember the check's folder, and the template's memory kills so
        far (a kill after this one counts against this check)."""
        self.origin = origin
        template = origin.sandbox
        self.template = template
        self.number = number
        self.status = status
        self.reader = protocol.Reader(status, max_fds=0)
        self.zygote = template.zygote
        self.serving: List[int] = []
        self.exits: Dict[int, int] = {}
        self.error = ""
        self.ended = False
        self.kills_before = template.killed_for_memory()
        self.memory_kills = 0

    @property
    def folder(self) -> str:
        """Return the check's folder, relative to the template's scratch."""
        return "{}/{}".format(CHECKS_FOLDER, self.number)

    def read(self, relative: str, cap: int) -> Optional[bytes]:
        """Read a file of the check's scratch (see Sandbox.read)."""
        return self.template.read("{}/{}".format(self.folder, relative), cap)

    def _event(self, deadline: float) -> None:
        """Read the waiter's one message: how the worker ended, or why the
        check's sandbox could not be made."""
        message = self.reader.receive(deadline)
        if isinstance(message, dict) and message.get("exited") is True and \
                isinstance(message.get("status"), int):
            self.exits[self.number] = message["status"]
        elif isinstance(message, dict) and "error" in message:
            self.error = str(message["error"])[:300]
        else:
            raise protocol.ProtocolError("not a message of the waiter")

    def exited(self, worker: int) -> Optional[int]:
        """Return how the worker ended, if the waiter has said so already.
        """
        return self._status(time.monotonic() + 0.01)

    def exit_status(self, worker: int) -> Optional[int]:
        """Return how the worker ended, waiting a moment for the waiter."""
        return self._status(time.monotonic() + EXIT_WAIT)

    def _status(self, deadline: float) -> Optional[int]:
        """Wait until the deadline for the worker's status."""
        try:
            while self.number not in self.exits and not self.error:
                self._event(deadline)
        except (protocol.ProtocolError, protocol.TimedOut, OSError):
            pass
        return self.exits.get(self.number)

    def killed_for_memory(self) -> int:
        """Return how many processes of the template's cgroup the kernel
        killed for memory since this check's worker was forked."""
        if self.ended:
            return self.memory_kills
        return max(0, self.template.killed_for_memory() - self.kills_before)

    def close(self) -> None:
        """End the check: closing the status connection ends its waiter,
        PID 1 of its namespaces, and the kernel kills everything else."""
        if self.ended:
            return
        self.memory_kills = self.killed_for_memory()
        self.ended = True
        self.status.close()
        self.reader.close()


class Template:
    """A template for one spec: its sandbox, its worker, and its state."""

    def __init__(self, sandbox: Sandbox, worker: Worker) -> None:
        """Remember a template being made; it is usable once it says hello.
        """
        self.sandbox = sandbox
        self.worker = worker
        self.started = time.monotonic()
        self.ready = False
        self.refused = ""
        self.asked: Dict[int, int] = {}  # child number -> fork request id
        self.replies: Dict[int, Dict[str, Any]] = {}  # by request id

    def usable(self) -> bool:
        """Tell whether the template has said hello, without waiting; give
        it up if its import failed or takes too long."""
        if self.refused:
            return False
        if not self.ready:
            try:
                preloaded = self.worker.hello(time.monotonic() + GLANCE)
            except Late:
                if time.monotonic() - self.started > TEMPLATE_LIMIT:
                    self.give_up("its import took over {:g} s".format(
                        TEMPLATE_LIMIT))
                return False
            except (Gone, Garbled) as error:
                self.give_up("it ended while importing ({})".format(
                    type(error).__name__))
                return False
            failed = [name for name, raised in preloaded.items() if raised]
            if failed:
                self.give_up("{}.py did not import".format(failed[0]))
                return False
            self.ready = True
        return True

    def fork(self, number: int) -> Optional[Tuple[socket.socket,
                                                  socket.socket]]:
        """Ask for a child, without waiting for the answer (answer());
        return our ends of its connection and status connection, or None
        (and give the template up) if the request cannot be sent."""
        ours, theirs = socket.socketpair()
        status_ours, status_theirs = socket.socketpair()
        self.worker.requests += 1
        self.asked[number] = self.worker.requests
        try:
            protocol.send(self.worker.sock, {
                "op": "fork", "id": self.worker.requests, "worker": number},
                (theirs.fileno(), status_theirs.fileno()),
                protocol.REQUEST_FRAME)
        except (OSError, protocol.ProtocolError) as error:
            ours.close()
            status_ours.close()
            self.give_up("it did not take a request ({})".format(error))
            return None
        finally:
            theirs.close()
            status_theirs.close()
        return ours, status_ours

    def answer(self, number: int) -> str:
        """Wait for the template's answer to the fork of child `number`;
        return "" if it forked, else why not (and give the template up).
        Answers are kept by request id: those of children thrown away
        are never asked for."""
        wanted = self.asked.pop(number, None)
        if self.refused or wanted is None:
            return self.refused or "not asked"
        deadline = time.monotonic() + ANSWER_LIMIT
        try:
            while wanted not in self.replies:
                reply = self.worker.message(deadline)
                if type(reply.get("id")) is int:
                    self.replies[reply["id"]] = reply
            reply = self.replies.pop(wanted)
            value = protocol.decode(reply.get("value"), _no_reference)
        except (Gone, Late, Garbled, protocol.ProtocolError) as error:
            value = {"refused": "it did not answer ({})".format(
                type(error).__name__)}
        if isinstance(value, dict) and value.get("forked") == number:
            return ""
        self.give_up(str(value.get("refused") if isinstance(value, dict)
                         else reply.get("error", "no answer"))[:200]
                     or "unknown")
        return self.refused

    def give_up(self, reason: str) -> None:
        """Use the template no more; end its sandbox."""
        self.refused = reason or "unknown"
        self.worker.close()
        self.sandbox.close()


class Templates:
    """The grade's templates, by spec, and the children made from them."""

    def __init__(self, zygote: Zygote, solution_copy: str) -> None:
        """Make templates in sandboxes that see this copy of the solution.
        """
        self.zygote = zygote
        self.solution_copy = solution_copy
        self.by_spec: Dict[Any, Template] = {}
        self.children: List[ChildSandbox] = []
        self.forked = 0
        self.fresh = 0  # checks prepared afresh while a template was made

    def prepare(self, spec: Any, config: Dict[str, Any]
                ) -> Optional[Tuple[ChildSandbox, Worker]]:
        """Return a worker forked for a check of this spec, or None when
        the check is to get a fresh sandbox (no template yet, or none)."""
        self.tidy()
        template = self.by_spec.get(spec)
        if template is None:
            sandbox = self.zygote.sandbox(self.solution_copy)
            self.by_spec[spec] = Template(sandbox, sandbox.spawn(
                dict(config, template=True)))
            self.fresh += 1
            return None
        if not template.usable():
            self.fresh += 1
            return None
        template.sandbox.workers += 1
        number = template.sandbox.workers
        ends = template.fork(number)
        if ends is None:
            self.fresh += 1
            return None
        child = ChildSandbox(template, number, ends[1])
        self.children.append(child)
        self.forked += 1
        return child, Worker(child, number, ends[0], template.worker.preload)

    def settle(self, child: ChildSandbox, worker: Worker) -> bool:
        """Wait until a child is forked and has said hello; else end it and
        give its template up (the check then gets a fresh sandbox)."""
        reason = child.origin.answer(child.number)
        if not reason:
            try:
                worker.hello(time.monotonic() + HELLO_LIMIT)
                return True
            except (Gone, Late, Garbled) as error:
                reason = child.error or "a child did not start ({})".format(
                    type(error).__name__)
        worker.close()
        child.close()
        if not child.origin.refused:
            child.origin.give_up(reason)
        self.forked -= 1
        self.fresh += 1
        return False

    def tidy(self) -> None:
        """Give up templates whose import takes too long; remove the
        folders of children that have ended (their checks are over, and
        their processes killed with their namespaces)."""
        for template in self.by_spec.values():
            if not template.ready:
                template.usable()
        kept = []
        for child in self.children:
            if not child.ended:
                kept.append(child)
            elif not child.template.ended:
                remove_folder(child.template, child.folder)
        self.children = kept

    def refusals(self) -> Dict[Tuple[str, ...], str]:
        """Return why each template given up was, by its modules."""
        return {tuple(template.worker.preload): template.refused
                for template in self.by_spec.values() if template.refused}

    def close(self) -> None:
        """End every child and template."""
        for child in self.children:
            child.close()
        for template in self.by_spec.values():
            template.worker.close()
            template.sandbox.close()


def remove_folder(sandbox: Sandbox, relative: str) -> None:
    """Remove a folder of a sandbox's scratch, never following a link."""
    if sandbox.scratch is None:
        return
    try:
        top = os.open(relative, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW,
                      dir_fd=sandbox.scratch)
    except OSError:
        return
    try:
        for _, folders, files, here in os.fwalk(".", topdown=False,
                                                 dir_fd=top):
            for name in files:
                _quietly(os.unlink, name, here)
            for name in folders:  # a link to a folder is listed here too
                _quietly(os.rmdir, name, here)
                _quietly(os.unlink, name, here)
    finally:
        os.close(top)
    _quietly(os.rmdir, relative, sandbox.scratch)


def _no_reference(value: Any) -> Any:
    """Refuse a handle in a template's answer: it sends plain data only."""
    raise protocol.ProtocolError("a handle where plain data belongs")


def _quietly(action: Any, name: str, dir_fd: int) -> None:
    """Unlink or rmdir relative to a folder; a failure leaves it there."""
    try:
        action(name, dir_fd=dir_fd)
    except OSError:
        pass
