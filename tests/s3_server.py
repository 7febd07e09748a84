"""A real S3 endpoint for tests: moto's server mode on a free port of
127.0.0.1, with one bucket, for s3fs (the client dicomcore's users have)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Credentials moto accepts; region of every client.
ACCESS_KEY = "testing"
REGION = "us-east-1"


@contextmanager
def s3_endpoint(bucket: str) -> Iterator[tuple[str, Any]]:
    """(endpoint URL, a boto3 client of it) while a moto server runs with
    ``bucket`` made.  Needs moto[server] and boto3 (skip the test first)."""
    import boto3
    from moto import server as moto_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(
        ip_address="127.0.0.1", port=port, verbose=False
    )
    server.start()
    url = f"http://127.0.0.1:{port}"
    try:
        client = boto3.client(
            "s3",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=ACCESS_KEY,
        )
        client.create_bucket(Bucket=bucket)
        yield url, client
    finally:
        server.stop()
