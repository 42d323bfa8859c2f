"""mlaudit harvest hf://...: the crawl against a local stand-in for the Hub, never the internet.

The server answers from fixtures/hub/routes.json (see fixtures/hub/README.md): a LoRA adapter on a
gated Llama-3-style base, trained on a public dataset (which extends a missing one) and a gated one.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import FIXTURES

from auditor.cli import main
from auditor.harvest import harvest

pytest.importorskip("huggingface_hub", reason="the hub extra is not installed: pip install 'mlaudit[hub]'")

HUB = FIXTURES / "hub"
ROOT = "hf://example-org/llama3-support-lora"
SHAS = {
    "example-org/llama3-support-lora": "f073723a8c6c2783d5a5e4d2c51f217e880e32bd",
    "meta-llama/Meta-Llama-3-8B-Instruct": "bdafbf46f0e1dfaf32a169aaf2711c1bdfddf412",
    "meta-llama/Meta-Llama-3-8B": "dd0e5ff4a8ba0740ea8088212934965caf347ac4",
    "datasets/example-org/support-tickets": "8fc9359423758471a19182adc89bd8bcb5c15cbc",
}
INSTRUCT_README = (
    f"/meta-llama/Meta-Llama-3-8B-Instruct/resolve/{SHAS['meta-llama/Meta-Llama-3-8B-Instruct']}/README.md"
)
TICKETS_README = (
    f"/datasets/example-org/support-tickets/resolve/{SHAS['datasets/example-org/support-tickets']}/README.md"
)
ROOT_README = f"/example-org/llama3-support-lora/resolve/{SHAS['example-org/llama3-support-lora']}/README.md"
HUGE = 6 * 1024 * 1024
CACHES = {
    "example-org/llama3-support-lora": "models--example-org--llama3-support-lora",
    "meta-llama/Meta-Llama-3-8B-Instruct": "models--meta-llama--Meta-Llama-3-8B-Instruct",
    "meta-llama/Meta-Llama-3-8B": "models--meta-llama--Meta-Llama-3-8B",
    "datasets/example-org/support-tickets": "datasets--example-org--support-tickets",
}


class HubServer:
    """Answers GET requests from a routes dict (path -> answer) and records every request it gets."""

    def __init__(self, routes: dict):
        self.routes, self.requests = routes, []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path.split("?")[0])
                if route and "drip_seconds" in route:  # a server that sends its headers a byte at a time
                    _drip(self.wfile, route["drip_seconds"])
                    return
                status, headers, body, with_length = _answer(route)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if with_length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def _drip(out, seconds: float) -> None:
    out.write(b"HTTP/1.1 200 OK\r\n")
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            out.write(b"X")
            out.flush()
        except OSError:
            return
        time.sleep(0.05)


def _answer(route: dict | None) -> tuple[int, dict, bytes, bool]:
    """(status, headers, body, send Content-Length) for a route of routes.json or a test override."""
    if route is None:
        return 404, {"X-Error-Code": "EntryNotFound"}, b"Entry not found", True
    if "gated" in route:
        message = f"Access to {route['gated']} is restricted. You must have access to it and be authenticated."
        return 401, {"X-Error-Code": "GatedRepo", "X-Error-Message": message}, message.encode(), True
    body = (
        route["bytes"]
        if "bytes" in route
        else (HUB / route["file"]).read_bytes()
        if "file" in route
        else route.get("text", "").encode()
    )
    return route.get("status", 200), route.get("headers", {}), body, route.get("length", True)


@pytest.fixture
def hub(monkeypatch):
    """The stand-in Hub, with HF_ENDPOINT pointing at it and no token or offline flag from the caller."""
    server = HubServer(json.loads((HUB / "routes.json").read_text(encoding="utf-8")))
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    for name in ("HF_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def crawl(tmp_path, *options, source=ROOT) -> tuple[int, dict | None]:
    out = tmp_path / "release"
    code = main(["harvest", source, "-o", str(out), *options])
    log = out / "crawl.json"
    return code, json.loads(log.read_text(encoding="utf-8")) if log.is_file() else None


def entries(log: dict) -> dict[str, dict]:
    return {e["asset"]: e for e in log["assets"]}


def _api_path(asset: str) -> str:
    return f"/api/{asset}" if asset.startswith("datasets/") else f"/api/models/{asset}"


# --- the crawl --------------------------------------------------------------------------------------


def test_writes_the_hub_cache_layout_pinned_at_each_commit(hub, tmp_path, capsys):
    code, _log = crawl(tmp_path)
    assert code == 0
    out = tmp_path / "release"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    lora = f"models--example-org--llama3-support-lora/snapshots/{SHAS['example-org/llama3-support-lora']}"
    assert written == sorted(
        [
            "crawl.json",
            "mlaudit.toml",
            f"{lora}/README.md",
            f"{lora}/adapter_config.json",
            f"models--meta-llama--Meta-Llama-3-8B-Instruct/snapshots/{SHAS['meta-llama/Meta-Llama-3-8B-Instruct']}/README.md",
            f"models--meta-llama--Meta-Llama-3-8B/snapshots/{SHAS['meta-llama/Meta-Llama-3-8B']}/README.md",
            f"datasets--example-org--support-tickets/snapshots/{SHAS['datasets/example-org/support-tickets']}/README.md",
            *(f"{cache}/refs/main" for cache in CACHES.values()),  # each asset was fetched at its main branch
        ]
    )
    for asset, cache in CACHES.items():  # each refs/main names the sha fetched, as huggingface_hub writes it
        assert (out / cache / "refs" / "main").read_text(encoding="ascii") == SHAS[asset]
    assert (out / f"{lora}/README.md").read_bytes() == (
        HUB / "repos/models/example-org/llama3-support-lora/README.md"
    ).read_bytes()
    assert (out / "mlaudit.toml").read_text() == '[release]\nasset = "example-org/llama3-support-lora"\n'
    read = harvest(out)
    assert not read.problems and all(r.branches == ["main"] for r in read.records if r.revision)
    pins = {(r.kind, r.id): r.revision for r in read.records}
    assert pins[("model", "example-org/llama3-support-lora")] == SHAS["example-org/llama3-support-lora"]
    assert pins[("dataset", "example-org/support-tickets")] == SHAS["datasets/example-org/support-tickets"]
    printed = capsys.readouterr().out
    assert f"at {SHAS['example-org/llama3-support-lora']}" in printed and "4 assets fetched, 2 unresolved" in printed


def test_the_log_says_what_was_fetched_from_where_and_what_failed(hub, tmp_path):
    _, log = crawl(tmp_path)
    assert log["endpoint"] == hub.url and log["requested_revision"] == "main" and log["token"] == "none"
    found = entries(log)
    assert {a: e["status"] for a, e in found.items()} == {
        "example-org/llama3-support-lora": "fetched",
        "meta-llama/Meta-Llama-3-8B-Instruct": "fetched",
        "datasets/example-org/support-tickets": "fetched",
        "datasets/example-org/chat-pairs": "unresolved",
        "meta-llama/Meta-Llama-3-8B": "fetched",
        "datasets/example-org/raw-tickets": "unresolved",
    }
    for asset, sha in SHAS.items():
        assert found[asset]["sha"] == sha
    instruct = found["meta-llama/Meta-Llama-3-8B-Instruct"]
    assert instruct["gated"] == "manual" and instruct["relation"] == "adapter" and instruct["depth"] == 1
    assert instruct["files"]["README.md"].startswith("fetched: ")
    assert (
        instruct["files"]["config.json"].startswith("gated: ")
        and "HTTP 401 GatedRepo" in instruct["files"]["config.json"]
    )
    # the license and use-policy files a release must ship are fetched with the card (never the weights)
    assert {"LICENSE", "USE_POLICY.md"} <= set(instruct["files"])
    assert "gated" in found["datasets/example-org/chat-pairs"]["reason"]
    raw = found["datasets/example-org/raw-tickets"]
    assert raw["via"] == "datasets/example-org/support-tickets" and raw["relation"] == "derived_from"
    assert raw["reason"].startswith("repository not found") and "HTTP 404 RepoNotFound" in raw["reason"]


def test_each_asset_is_fetched_once_and_no_weights_or_token_are_requested(hub, tmp_path):
    crawl(tmp_path)
    paths = hub.paths()
    assert (
        paths.count("/api/models/meta-llama/Meta-Llama-3-8B-Instruct") == 1
    )  # named by the card and the adapter config
    assert len(paths) == len(set(paths))
    assert not [p for p in paths if p.endswith((".safetensors", ".parquet", ".jsonl"))]
    assert all("authorization" not in {k.lower() for k in headers} for _, headers in hub.requests)


def test_hf_token_is_sent_when_set(hub, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_test_token")
    _, log = crawl(tmp_path)
    assert log["token"] == "HF_TOKEN"
    assert all(headers.get("Authorization") == "Bearer hf_test_token" for _, headers in hub.requests)


@pytest.mark.parametrize(
    "depth, fetched, beyond",
    [
        (
            "0",
            {"example-org/llama3-support-lora"},
            {
                "meta-llama/Meta-Llama-3-8B-Instruct",
                "datasets/example-org/support-tickets",
                "datasets/example-org/chat-pairs",
            },
        ),
        (
            "1",
            {
                "example-org/llama3-support-lora",
                "meta-llama/Meta-Llama-3-8B-Instruct",
                "datasets/example-org/support-tickets",
            },
            {"meta-llama/Meta-Llama-3-8B", "datasets/example-org/raw-tickets"},
        ),
    ],
)
def test_depth_limit_stops_the_crawl_and_logs_what_lies_beyond(hub, tmp_path, depth, fetched, beyond):
    code, log = crawl(tmp_path, "--depth", depth)
    assert code == 0
    found = entries(log)
    assert {a for a, e in found.items() if e["status"] == "fetched"} == fetched
    assert {a for a, e in found.items() if e["status"] == "not-followed"} == beyond
    assert all(found[a]["reason"] == f"beyond --depth {depth}" for a in beyond)
    assert not {_api_path(asset) for asset in beyond} & set(hub.paths())


def test_max_assets_bounds_the_crawl(hub, tmp_path):
    _, log = crawl(tmp_path, "--max-assets", "2")
    statuses = [e["status"] for e in log["assets"]]
    assert statuses.count("fetched") == 2 and "over the limit of 2 assets" in log["assets"][-1]["reason"]


def test_dataset_root_at_a_tag_is_pinned_to_the_commit(hub, tmp_path):
    hub.routes["/api/datasets/example-org/support-tickets/revision/v1.0"] = hub.routes[
        "/api/datasets/example-org/support-tickets"
    ]
    code, log = crawl(tmp_path, "--revision", "v1.0", source="hf://datasets/example-org/support-tickets")
    assert code == 0
    out = tmp_path / "release"
    assert (out / "mlaudit.toml").read_text() == '[release]\nasset = "datasets/example-org/support-tickets"\n'
    root = log["assets"][0]
    assert root["requested_revision"] == "v1.0" and root["sha"] == SHAS["datasets/example-org/support-tickets"]
    assert (out / root["folder"] / "README.md").is_file()
    refs = out / "datasets--example-org--support-tickets" / "refs"
    assert [p.name for p in refs.iterdir()] == ["v1.0"]  # what a pin to the tag binds; a tag is not main
    assert (refs / "v1.0").read_text() == SHAS["datasets/example-org/support-tickets"]


INSTRUCT = "meta-llama/Meta-Llama-3-8B-Instruct"
OLDER = "0123456789abcdef0123456789abcdef01234567"  # a revision of the Instruct model before its newest


def _adapter_pinning(hub, revision: str) -> None:
    """The root's adapter config pins `revision` of its base, while its card names the base unpinned."""
    adapter = json.loads((HUB / "repos/models/example-org/llama3-support-lora/adapter_config.json").read_text())
    path = f"/example-org/llama3-support-lora/resolve/{SHAS['example-org/llama3-support-lora']}/adapter_config.json"
    hub.routes[path] = {"text": json.dumps({**adapter, "revision": revision})}


def _older_instruct(hub, name: str) -> None:
    """The Instruct model's revision OLDER, under the name `name`, licensed llama2."""
    info = json.loads((HUB / "repos/models/meta-llama/Meta-Llama-3-8B-Instruct/info.json").read_text())
    info.update(sha=OLDER, siblings=[{"rfilename": "README.md"}])
    hub.routes[f"/api/models/{INSTRUCT}/revision/{name}"] = {"text": json.dumps(info)}
    card = "---\nlicense: llama2\nbase_model: meta-llama/Meta-Llama-3-8B\n---\n# An older revision\n"
    hub.routes[f"/{INSTRUCT}/resolve/{OLDER}/README.md"] = {"text": card}


def test_an_upstream_named_at_two_revisions_is_fetched_at_each_with_its_refs(hub, tmp_path):
    _adapter_pinning(hub, "v1")
    _older_instruct(hub, "v1")
    code, log = crawl(tmp_path)
    assert code == 0
    cache = tmp_path / "release" / CACHES[INSTRUCT]
    assert sorted(p.name for p in (cache / "snapshots").iterdir()) == sorted([OLDER, SHAS[INSTRUCT]])
    assert (cache / "refs" / "main").read_text() == SHAS[INSTRUCT] and (cache / "refs" / "v1").read_text() == OLDER
    fetched = [(e["requested_revision"], e["sha"]) for e in log["assets"] if e["asset"] == INSTRUCT]
    assert sorted(fetched) == [("default branch", SHAS[INSTRUCT]), ("v1", OLDER)]
    hub.httpd.shutdown()  # offline from here on: the audit binds each reference to its own revision
    report = tmp_path / "report"
    assert main(["audit", str(tmp_path / "release"), "--out", str(report), "--fail-on", "never"]) == 0
    doc = json.loads((report / "report.json").read_text(encoding="utf-8"))
    licenses = {a["id"]: a["license"] for a in doc["assets"] if a["id"].startswith(INSTRUCT)}
    assert licenses == {INSTRUCT: "LicenseRef-Llama-3-Community", f"{INSTRUCT}@{OLDER}": "LicenseRef-Llama-2-Community"}
    edges = {(e["child"], e["parent"], e["relation"]) for e in doc["edges"]}
    assert ("example-org/llama3-support-lora", f"{INSTRUCT}@{OLDER}", "adapter") in edges
    assert "PRV015" in {f["rule"] for f in doc["findings"]}  # the unpinned card follows the newest, relicensed


def test_a_commit_named_twice_is_fetched_once_and_a_sha_names_no_ref(hub, tmp_path):
    _adapter_pinning(hub, SHAS[INSTRUCT])
    info = (HUB / "repos/models/meta-llama/Meta-Llama-3-8B-Instruct/info.json").read_text()
    hub.routes[f"/api/models/{INSTRUCT}/revision/{SHAS[INSTRUCT]}"] = {"text": info}
    _, log = crawl(tmp_path)
    assert hub.paths().count(f"/{INSTRUCT}/resolve/{SHAS[INSTRUCT]}/README.md") == 1
    notes = [e.get("note") for e in log["assets"] if e["asset"] == INSTRUCT]
    assert sorted(notes, key=str) == [None, "the commit fetched before under another name"]
    assert [p.name for p in (tmp_path / "release" / CACHES[INSTRUCT] / "refs").iterdir()] == ["main"]


@pytest.mark.parametrize("name", ["..", ".hidden", "a/b", "x" * 101])
def test_a_revision_name_unsafe_as_a_file_names_no_ref(hub, tmp_path, name):
    _adapter_pinning(hub, name)
    _older_instruct(hub, name.replace("/", "%2F"))
    crawl(tmp_path)
    refs = tmp_path / "release" / CACHES[INSTRUCT] / "refs"
    assert [p.name for p in refs.iterdir()] == ["main"]


def test_an_existing_mlaudit_toml_is_kept(hub, tmp_path):
    out = tmp_path / "release"
    out.mkdir()
    (out / "mlaudit.toml").write_text('[release]\nasset = "example-org/llama3-support-lora"\nuse = "research"\n')
    assert crawl(tmp_path)[0] == 0
    assert 'use = "research"' in (out / "mlaudit.toml").read_text()


# --- the audit reads the folder offline ---------------------------------------------------------------


def test_audit_of_the_crawled_folder_shows_the_lineage(hub, tmp_path, capsys):
    crawl(tmp_path)
    hub.httpd.shutdown()  # offline from here on
    report = tmp_path / "report"
    assert main(["audit", str(tmp_path / "release"), "--out", str(report), "--fail-on", "never"]) == 0
    doc = json.loads((report / "report.json").read_text(encoding="utf-8"))
    edges = {(e["child"], e["parent"], e["relation"]) for e in doc["edges"]}
    assert {
        ("example-org/llama3-support-lora", "meta-llama/Meta-Llama-3-8B-Instruct", "adapter"),
        ("example-org/llama3-support-lora", "datasets/example-org/support-tickets", "trained_on"),
        ("example-org/llama3-support-lora", "datasets/example-org/chat-pairs", "trained_on"),
        ("meta-llama/Meta-Llama-3-8B-Instruct", "meta-llama/Meta-Llama-3-8B", "finetune"),
        ("datasets/example-org/support-tickets", "datasets/example-org/raw-tickets", "derived_from"),
    } <= edges
    resolved = {a["id"]: a["resolved"] for a in doc["assets"]}
    assert resolved["meta-llama/Meta-Llama-3-8B"] and not resolved["datasets/example-org/raw-tickets"]
    unresolved = {f["asset"] for f in doc["findings"] if f["rule"] == "PRV002"}
    assert unresolved == {"datasets/example-org/chat-pairs", "datasets/example-org/raw-tickets"}
    assert "example-org/llama3-support-lora" in capsys.readouterr().out


# --- failures -----------------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_no_network_fails_fast_with_exit_3_naming_the_endpoint(tmp_path, monkeypatch, capsys):
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    started = time.monotonic()
    code, _log = crawl(tmp_path)
    assert code == 3 and time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert f"cannot reach the Hub at {endpoint}" in err and "HF_ENDPOINT" in err
    assert not (tmp_path / "release").exists()


def test_offline_mode_is_refused_before_any_request(hub, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert crawl(tmp_path)[0] == 3
    assert "HF_HUB_OFFLINE is set" in capsys.readouterr().err and hub.requests == []


def test_without_huggingface_hub_it_says_which_extra_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    assert crawl(tmp_path)[0] == 2
    assert "pip install 'mlaudit[hub]'" in capsys.readouterr().err


@pytest.mark.parametrize("source", ["hf://", "hf://a/b/c", "hf://org/../x", "hf://org/na--me"])
def test_a_source_that_names_no_repository_is_a_usage_error(tmp_path, capsys, source):
    assert crawl(tmp_path, source=source)[0] == 2
    assert "does not name a Hub repository" in capsys.readouterr().err


def test_a_missing_root_is_exit_3(hub, tmp_path, capsys):
    hub.routes["/api/models/example-org/nothing-here/revision/main"] = hub.routes[
        "/api/datasets/example-org/raw-tickets"
    ]
    code, log = crawl(tmp_path, source="hf://example-org/nothing-here")
    assert code == 3 and log is None
    err = capsys.readouterr().err
    assert f"cannot harvest example-org/nothing-here from {hub.url}: repository not found" in err


@pytest.mark.parametrize("with_length", [True, False])
def test_a_huge_readme_is_cut_off_and_reported(hub, tmp_path, with_length):
    hub.routes[INSTRUCT_README] = {"bytes": b"---\nlicense: llama3\n---\n" + b"x" * HUGE, "length": with_length}
    code, log = crawl(tmp_path)
    assert code == 0
    instruct = entries(log)["meta-llama/Meta-Llama-3-8B-Instruct"]
    assert instruct["status"] == "unresolved" and "over the 5 MB limit; not saved" in instruct["reason"]
    assert ("6.0 MB" in instruct["reason"]) == with_length
    assert entries(log)["datasets/example-org/support-tickets"]["status"] == "fetched"


def test_a_non_json_api_answer_leaves_the_upstream_unresolved(hub, tmp_path):
    hub.routes["/api/datasets/example-org/chat-pairs"] = {
        "text": "<html><body>Hugging Face is down</body></html>",
        "headers": {"Content-Type": "text/html"},
    }
    hub.routes["/api/datasets/example-org/support-tickets"] = {"status": 503, "text": "busy"}
    code, log = crawl(tmp_path)
    assert code == 0
    found = entries(log)
    assert found["datasets/example-org/chat-pairs"]["reason"].startswith(
        "the API answer is not JSON mlaudit reads: invalid JSON"
    )
    assert "HTTP 503" in found["datasets/example-org/support-tickets"]["reason"]
    assert found["meta-llama/Meta-Llama-3-8B"]["status"] == "fetched"


def test_a_non_json_answer_for_the_root_is_exit_3(hub, tmp_path, capsys):
    hub.routes["/api/models/example-org/llama3-support-lora/revision/main"] = {"text": "<html>maintenance</html>"}
    code, log = crawl(tmp_path)
    assert code == 3 and log is None
    assert "not JSON" in capsys.readouterr().err


def test_hostile_ids_and_shas_never_name_a_folder(hub, tmp_path):
    card = (
        "---\nlicense: mit\nbase_model:\n- ../../outside\n- https://huggingface.co/meta-llama/Meta-Llama-3-8B\n"
        "datasets:\n- https://example.com/data.zip\n- example-org/support-tickets\n---\n# Card\n"
    )
    hub.routes[ROOT_README] = {"text": card}
    info = json.loads((HUB / "repos/datasets/example-org/support-tickets/info.json").read_text())
    hub.routes["/api/datasets/example-org/support-tickets"] = {"text": json.dumps(info | {"sha": "../../../escape"})}
    code, log = crawl(tmp_path)
    assert code == 0
    found = entries(log)
    assert not {"../../outside", "datasets/https://example.com/data.zip"} & found.keys()  # not Hub ids: never upstreams
    assert found["meta-llama/Meta-Llama-3-8B"]["status"] == "fetched"  # a Hub URL is followed as its id
    assert "no commit sha" in found["datasets/example-org/support-tickets"]["reason"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_a_redirect_loop_leaves_the_upstream_unresolved(hub, tmp_path):
    hub.routes[INSTRUCT_README] = {"status": 302, "headers": {"Location": INSTRUCT_README}}
    code, log = crawl(tmp_path)
    assert code == 0
    instruct = entries(log)["meta-llama/Meta-Llama-3-8B-Instruct"]
    assert instruct["status"] == "unresolved" and "redirect loop" in instruct["reason"]


def test_a_redirect_to_another_host_is_refused_and_logged(hub, tmp_path):
    elsewhere = "http://localhost:9/README.md"
    hub.routes[INSTRUCT_README] = {"status": 302, "headers": {"Location": elsewhere}}
    code, log = crawl(tmp_path)
    assert code == 0
    instruct = entries(log)["meta-llama/Meta-Llama-3-8B-Instruct"]
    assert instruct["status"] == "unresolved" and f"redirected to '{elsewhere}'" in instruct["reason"]


def test_an_undecodable_answer_is_a_clean_outcome(hub, tmp_path, capsys):
    garbage = {"bytes": b"not gzip at all", "headers": {"Content-Encoding": "gzip"}}
    hub.routes[INSTRUCT_README] = garbage
    code, log = crawl(tmp_path)
    assert code == 0 and "cannot be decoded" in entries(log)["meta-llama/Meta-Llama-3-8B-Instruct"]["reason"]
    hub.routes[ROOT_README] = garbage
    hub.routes["/api/models/example-org/llama3-support-lora/revision/main"] = {
        "status": 302,
        "headers": {"Location": "http://localhost:9/api"},
    }
    assert crawl(tmp_path / "root")[0] == 3
    err = capsys.readouterr().err
    assert "not followed" in err and "\x1b" not in err and "\u202e" not in err and "Traceback" not in err


def test_a_server_dripping_its_headers_is_cut_off_at_the_deadline(hub, tmp_path, monkeypatch):
    from auditor import hubhttp

    monkeypatch.setattr(hubhttp, "DEADLINE", 1.0)
    hub.routes["/api/models/example-org/llama3-support-lora/revision/main"] = {"drip_seconds": 8}
    started = time.monotonic()
    code, _log = crawl(tmp_path)
    assert code == 3 and time.monotonic() - started < 4


def test_harvest_into_a_file_is_a_clean_error(hub, tmp_path, capsys):
    target = tmp_path / "release"
    target.write_text("not a folder")
    assert main(["harvest", ROOT, "-o", str(target)]) == 2
    assert "release" in capsys.readouterr().err and target.read_text() == "not a folder"


def test_a_local_path_an_adapter_names_is_not_fetched(hub, tmp_path):
    """A local path names no repository to fetch: the audit keeps it as an upstream of unknown terms."""
    adapter = json.loads((HUB / "repos/models/example-org/llama3-support-lora/adapter_config.json").read_text())
    path = f"/example-org/llama3-support-lora/resolve/{SHAS['example-org/llama3-support-lora']}/adapter_config.json"
    hub.routes[path] = {"text": json.dumps({**adapter, "base_model_name_or_path": "/home/u/base"})}
    code, log = crawl(tmp_path)
    assert code == 0 and not any("/home/u" in name for name in entries(log))
    assert not any("/home/u" in path for path, _ in hub.requests)
