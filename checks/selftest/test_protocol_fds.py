"""Descriptors that ride along messages are never the sender's to spend.

A worker runs learner code, which can find its own sockets and send file
descriptors (SCM_RIGHTS) into the checker. Each one that arrives takes a
slot of the checker's descriptor table: a reader that kept them would let
a learner fill the table until the checker could open nothing, and wait
on nothing. These tests send them as a hostile worker does and count the
checker's open descriptors before and after.
"""
import array
import os
import resource
import socket
import time
from typing import Iterator
from typing import List
from typing import Tuple

import pytest

from checks.runtime import protocol

FLOOD = 300  # one-byte messages, each with four descriptors
WAIT = 5.0  # seconds a receive may take here


def open_fds() -> int:
    """Count this process's open descriptors."""
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def pair() -> Iterator[Tuple[socket.socket, socket.socket]]:
    """A connected pair of Unix stream sockets: ours, the worker's."""
    ours, theirs = socket.socketpair()
    try:
        yield ours, theirs
    finally:
        ours.close()
        theirs.close()


def carrying(fds: List[int]) -> List[Tuple[int, int, bytes]]:
    """Return the ancillary data that passes these descriptors."""
    return [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
             array.array("i", fds).tobytes())]


def test_descriptors_where_none_belong_are_refused(
        pair: Tuple[socket.socket, socket.socket]) -> None:
    """A flood of descriptors on a connection that carries none: each is
    closed as it arrives, and the reader says the peer sent garbage."""
    ours, theirs = pair
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        before = open_fds()
        theirs.send(protocol.HEADER.pack(protocol.MAX_FRAME))
        theirs.setblocking(False)  # as many as the socket's buffer holds
        sent = 0
        try:
            while sent < FLOOD:
                theirs.sendmsg([b"x"], carrying([null] * 4))
                sent += 1
        except BlockingIOError:
            pass
        assert sent > 10
        reader = protocol.Reader(ours, max_fds=0)
        with pytest.raises(protocol.ProtocolError, match="descriptors"):
            reader.receive(time.monotonic() + WAIT)
        assert open_fds() == before
    finally:
        os.close(null)


def test_messages_before_the_garbage_are_still_read(
        pair: Tuple[socket.socket, socket.socket]) -> None:
    """What an honest part of the worker sent first is not lost."""
    ours, theirs = pair
    protocol.send(theirs, {"hello": 1})
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        theirs.sendmsg([b"x"], carrying([null]))
    finally:
        os.close(null)
    reader = protocol.Reader(ours, max_fds=0)
    assert reader.receive(time.monotonic() + WAIT) == {"hello": 1}
    with pytest.raises(protocol.ProtocolError):
        reader.receive(time.monotonic() + WAIT)


def test_descriptors_no_message_claims_are_closed(
        pair: Tuple[socket.socket, socket.socket]) -> None:
    """A message that says it carries one descriptor but comes with three:
    the caller gets one, and the other two are closed."""
    ours, theirs = pair
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        before = open_fds()
        data = protocol.dumps({"fds": 1})
        theirs.sendmsg([protocol.HEADER.pack(len(data)) + data],
                       carrying([null] * 3))
        reader = protocol.Reader(ours)
        assert reader.receive(time.monotonic() + WAIT) == {"fds": 1}
        taken = reader.take_fds()
        assert len(taken) == 1 and open_fds() == before + 1
        os.close(taken[0])
        assert open_fds() == before
    finally:
        os.close(null)


def test_a_reader_closed_midway_gives_back_what_it_held(
        pair: Tuple[socket.socket, socket.socket]) -> None:
    """Descriptors of a message that never ended are closed with the
    reader."""
    ours, theirs = pair
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        before = open_fds()
        theirs.sendmsg([protocol.HEADER.pack(100) + b"{"],
                       carrying([null] * 2))
        reader = protocol.Reader(ours)
        with pytest.raises(protocol.TimedOut):
            reader.receive(time.monotonic() + 0.2)
        assert open_fds() == before + 2
        reader.close()
        assert open_fds() == before
    finally:
        os.close(null)


def test_waits_work_past_descriptor_1023(
        pair: Tuple[socket.socket, socket.socket]) -> None:
    """A reader whose socket's number is over 1023 still waits with a
    deadline (select() refuses such numbers)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 1100
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip("this machine allows {} open files".format(hard))
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    ours, theirs = pair
    high = fcntl_dup_above(ours.fileno(), 1024)
    try:
        high_socket = socket.socket(fileno=high)
        protocol.send(theirs, {"late": True})
        reader = protocol.Reader(high_socket, max_fds=0)
        assert reader.receive(time.monotonic() + WAIT) == {"late": True}
        with pytest.raises(protocol.TimedOut):
            reader.receive(time.monotonic() + 0.1)
        high_socket.close()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def fcntl_dup_above(fd: int, lowest: int) -> int:
    """Return a duplicate of fd numbered lowest or higher."""
    import fcntl
    return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, lowest)
