"""Two-node demo of electronic exchange: ``make demo-exchange`` (docs/exchange.md §8).

Starts two CoQuan instances on loopback, each with its own SQLite database and files
(``var/demo-exchange/province`` and ``.../commune``) and its own delivery worker
(``coquan exchange_deliver --loop``):

- the **province node** (port 8101): Sở Thông tin và Truyền thông, 000.00.14.H06;
- the **commune node** (port 8102): UBND xã Đức Thắng, 000.01.40.H06.

Each node knows the other through its directory (``Route``: ``http`` to the other's
``/api/v1/exchange/inbox/`` with the token the other issued, and its certificate, so
signatures are *valid*). The script then issues a document on the province node, waits
for it on the commune node, registers it there (03), assigns it (04), starts (05) and
finishes (06) the handling, and shows the statuses arriving on the province node; then
the province recalls a second document, which the commune registered, and the commune
accepts the recall (15): its incoming document becomes "recalled". Every
step runs through the real actions in a process of the node concerned.

``python -m coquan.exchange.demo [--keep]``: with ``--keep`` the two nodes keep running
(Ctrl-C stops them) so their pages can be opened (users ``vt_so`` / ``vt_xa``, password
``demo-exchange``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def base() -> Path:
    """Where the two nodes keep their databases and files (``COQUAN_DEMO_DIR``)."""
    return Path(os.environ.get("COQUAN_DEMO_DIR", str(ROOT / "var" / "demo-exchange")))


PROVINCE, COMMUNE = "000.00.14.H06", "000.01.40.H06"
PASSWORD = "demo-exchange"  # noqa: S105 (demo accounts on loopback)
NODES = {
    "province": {"port": int(os.environ.get("DEMO_PROVINCE_PORT", 8101)), "organ_id": PROVINCE},
    "commune": {"port": int(os.environ.get("DEMO_COMMUNE_PORT", 8102)), "organ_id": COMMUNE},
}


# A node's PostgreSQL database (``bench/exchange.py`` on PostgreSQL); SQLite when absent.
DATABASE_URLS: dict[str, str] = {}


def node_env(name: str) -> dict:
    (base() / name).mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if name in DATABASE_URLS:
        env["DATABASE_URL"] = DATABASE_URLS[name]
    return {
        **env,
        "COQUAN_VAR_DIR": str(base() / name),
        "COQUAN_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "coquan.config.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "COQUAN_EXCHANGE_DEMO_NODE": name,
    }


def run_step(node: str, step: str, *args: str) -> dict:
    """Run ``step`` in a process of ``node``; returns the JSON it prints."""
    done = subprocess.run(  # noqa: S603 (our own module)
        [sys.executable, "-m", "coquan.exchange.demo", "step", "--", step, *args],
        env=node_env(node),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"step {step} on {node} failed:\n{done.stderr[-4000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


# --- steps (run inside a node's process) ---------------------------------------------------------


def _setup():
    import django

    django.setup()


def step_seed_province() -> dict:
    from coquan.documents.models import ExternalAgency
    from coquan.documents.tests.conftest import ensure_reference_data, make_dept
    from coquan.exchange.actions import generate_agency_key
    from coquan.exchange.directory import add_peer_node

    ensure_reference_data()
    dept = make_dept()
    for user in (dept.clerk, dept.leader, dept.officer):
        user.set_password(PASSWORD)
        user.save()
    key = generate_agency_key(None, agency=dept.agency, key_size=2048)
    ExternalAgency.objects.create(agency=dept.agency, name="UBND xã Đức Thắng", organ_id=COMMUNE)
    _node, token = add_peer_node(None, name="Node xã Đức Thắng", sender_organ_ids=COMMUNE)
    return {"token": token, "certificate": key.certificate_pem}


def step_seed_commune() -> dict:
    from coquan.core.testing.factories import AgencyFactory, make_member
    from coquan.documents.tests.conftest import ensure_reference_data
    from coquan.exchange.actions import generate_agency_key
    from coquan.exchange.directory import add_peer_node

    ensure_reference_data()
    agency = AgencyFactory(organ_id=COMMUNE, name="UBND xã Đức Thắng", short_name="UBND")
    for role, username in (("clerk", "vt_xa"), ("leader", "ct_xa"), ("officer", "cc_xa")):
        user = make_member(agency, role, username=username)
        user.set_password(PASSWORD)
        user.save()
    key = generate_agency_key(None, agency=agency, key_size=2048)
    _node, token = add_peer_node(None, name="Node Sở TT&TT", sender_organ_ids=PROVINCE)
    return {"token": token, "certificate": key.certificate_pem}


def step_route(organ_id: str, port: str, token: str, certificate_file: str) -> dict:
    from coquan.exchange.models import Route

    Route.objects.update_or_create(
        organ_id=organ_id,
        defaults={
            "transport": "http",
            "endpoint": f"http://127.0.0.1:{port}/api/v1/exchange/inbox/",
            "token": token,
            "certificate_pem": Path(certificate_file).read_text(),
        },
    )
    return {"route": organ_id}


def step_issue(subject: str) -> dict:
    from django.contrib.auth import get_user_model

    from coquan.documents.choices import RecipientKind
    from coquan.documents.models import ExternalAgency
    from coquan.documents.tests.conftest import Dept
    from coquan.org.models import Agency

    users = {u.username: u for u in get_user_model().objects.all()}
    agency = Agency.objects.get(organ_id=PROVINCE)
    dept = Dept(
        agency=agency,
        office=None,
        unit=None,
        other_unit=None,
        clerk=users["vt_so"],
        leader=users["gd_so"],
        unit_leader=users["tp_so"],
        officer=users["cv_so"],
        officer2=users["cv2_so"],
        admin=users["qt_so"],
        outsider=None,
        partner=None,
    )
    external = ExternalAgency.objects.get(agency=agency, organ_id=COMMUNE)
    draft = dept.draft(subject=subject, recipients=[(RecipientKind.EXTERNAL, external)])
    document = dept.advance(draft, "issued")
    return {"document": document.pk, "number": document.number_and_notation}


def step_recall(document_pk: str) -> dict:
    from django.contrib.auth import get_user_model

    from coquan.documents import actions
    from coquan.documents.models import OutgoingDocument

    clerk = get_user_model().objects.get(username="vt_so")
    document = OutgoingDocument.objects.get(pk=int(document_pk))
    actions.recall(clerk, document=document, reason="Ban hành nhầm, sẽ ban hành lại")
    return {"recalled": document.pk}


def step_received() -> dict:
    from coquan.exchange.models import ReceivedPackage

    return {
        "packages": [
            {
                "id": p.pk,
                "subject": p.subject,
                "state": p.state,
                "business": p.business_doc_type,
                "signature": p.signature_status,
                "source": p.source,
            }
            for p in ReceivedPackage.objects.filter(kind="document").order_by("pk")
        ]
    }


def step_handle(package_pk: str) -> dict:
    """Commune: register (03), assign (04), start (05) and finish (06)."""
    from django.contrib.auth import get_user_model

    from coquan.documents import actions
    from coquan.exchange.actions import register_package
    from coquan.exchange.models import ReceivedPackage

    users = {u.username: u for u in get_user_model().objects.all()}
    package = ReceivedPackage.objects.get(pk=int(package_pk))
    document, _status = register_package(users["vt_xa"], package=package)
    document = actions.present(users["vt_xa"], document=document, leader=users["ct_xa"])
    document = actions.assign(
        users["ct_xa"], document=document, lead_user=users["cc_xa"], due_days=5
    )
    document = actions.start_handling(users["cc_xa"], document=document)
    document = actions.complete(users["cc_xa"], document=document, result_note="Đã thực hiện")
    return {"arrival_number": document.arrival_number, "status": document.status}


def step_register(package_pk: str) -> dict:
    """Commune: register a received document (03) without handling it yet."""
    from django.contrib.auth import get_user_model

    from coquan.exchange.actions import register_package
    from coquan.exchange.models import ReceivedPackage

    clerk = get_user_model().objects.get(username="vt_xa")
    package = ReceivedPackage.objects.get(pk=int(package_pk))
    document, _status = register_package(clerk, package=package)
    return {"arrival_number": document.arrival_number, "status": document.status}


def step_incoming() -> dict:
    """Commune: its incoming documents with their status (a recalled one shows it)."""
    from coquan.documents.models import IncomingDocument

    return {
        "documents": [
            {"arrival_number": d.arrival_number, "subject": d.subject, "status": d.status}
            for d in IncomingDocument.objects.order_by("arrival_number")
        ]
    }


def step_accept_recall(package_pk: str) -> dict:
    from django.contrib.auth import get_user_model

    from coquan.exchange.actions import answer_recall
    from coquan.exchange.models import ReceivedPackage

    clerk = get_user_model().objects.get(username="vt_xa")
    recall = ReceivedPackage.objects.get(pk=int(package_pk))
    answer_recall(clerk, package=recall, accept=True)
    return {"answered": recall.pk}


def step_timeline() -> dict:
    from coquan.documents.models import Delivery

    return {
        "deliveries": [
            {
                "document": d.document_id,
                "kind": d.kind,
                "state": d.state,
                "statuses": list(
                    d.recipient_statuses.order_by("rank").values_list("code", flat=True)
                ),
            }
            for d in Delivery.objects.order_by("pk")
        ]
    }


STEPS = {
    name[5:]: fn for name, fn in globals().items() if name.startswith("step_") and callable(fn)
}


# --- the driver ----------------------------------------------------------------------------------


def wait_for(condition, what: str, timeout: float = 90):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(1)
    raise SystemExit(f"timed out waiting for {what}")


def start_node(
    name: str, *, server: bool = True, worker: bool = True, gunicorn_workers: int = 0
) -> list:
    """Start a node's web server and/or delivery worker.

    The server is Django's development server, or with ``gunicorn_workers`` gunicorn with
    that many sync workers, as in production (docs/deploy.md).
    """
    env = node_env(name)
    log = open(base() / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process)
    coquan = [sys.executable, "-m", "coquan.manage"]
    address = f"127.0.0.1:{NODES[name]['port']}"
    processes = []
    if server:
        command = [*coquan, "runserver", "--noreload", address]
        if gunicorn_workers:
            command = [
                *(sys.executable, "-m", "gunicorn", "coquan.config.wsgi"),
                *("-w", str(gunicorn_workers), "-b", address, "--log-level", "warning"),
            ]
        processes.append(
            subprocess.Popen(  # noqa: S603
                command,
                env=env,
                stdout=log,
                stderr=log,
            )
        )
    if worker:
        processes.append(
            subprocess.Popen(  # noqa: S603
                [*coquan, "exchange_deliver", "--loop", "--interval", "0.5"],
                env=env,
                stdout=log,
                stderr=log,
            )
        )
    return processes


def up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # it answers (/healthz may say the worker heartbeat is missing)
    except OSError:
        return False


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def setup_nodes() -> None:
    """Fresh databases for both nodes: migrate, seed the agencies and keys, directories."""
    shutil.rmtree(base(), ignore_errors=True)
    base().mkdir(parents=True)
    say("Migrating the two databases")
    migrations = [
        subprocess.Popen(
            [sys.executable, "-m", "coquan.manage", "migrate", "-v0"], env=node_env(name)
        )
        for name in NODES
    ]
    if any(p.wait() for p in migrations):
        raise SystemExit("migrate failed")
    say("Seeding: province agency (Sở TT&TT) and commune agency (UBND xã Đức Thắng)")
    province = run_step("province", "seed_province")
    commune = run_step("commune", "seed_commune")
    (base() / "province.pem").write_text(province["certificate"])
    (base() / "commune.pem").write_text(commune["certificate"])
    say("Directories: each node routes the other's organ_id over HTTP with its token")
    run_step(
        "province",
        "route",
        COMMUNE,
        str(NODES["commune"]["port"]),
        commune["token"],
        str(base() / "commune.pem"),
    )
    run_step(
        "commune",
        "route",
        PROVINCE,
        str(NODES["province"]["port"]),
        province["token"],
        str(base() / "province.pem"),
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="demo", choices=["demo", "step"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args(argv)
    if options.mode == "step":
        _setup()
        name, *args = options.args
        print(json.dumps(STEPS[name](*args), ensure_ascii=False), flush=True)
        return 0

    setup_nodes()
    processes = []
    try:
        for name in NODES:
            processes += start_node(name)
        for name, node in NODES.items():
            wait_for(lambda node=node: up(node["port"]), f"{name} node")
            say(f"{name} node on http://127.0.0.1:{node['port']}/")
        first = run_step("province", "issue", "V/v triển khai chuyển đổi số cấp xã")
        say(f"Province issued {first['number']}; waiting for it on the commune node")
        packages = wait_for(
            lambda: run_step("commune", "received")["packages"], "the document on the commune"
        )
        say(f"Commune received: {packages[0]}")
        handled = run_step("commune", "handle", str(packages[0]["id"]))
        say(f"Commune registered it (arrival number {handled['arrival_number']}) and handled it")
        timeline = wait_for(
            lambda: (
                (t := run_step("province", "timeline")["deliveries"])[0]["statuses"][-1:] == ["06"]
                and t
            ),
            "status 06 on the province node",
        )
        say(f"Province sees the statuses: {timeline[0]['statuses']}")
        second = run_step("province", "issue", "V/v báo cáo số liệu quý IV")
        packages = wait_for(
            lambda: (p := run_step("commune", "received")["packages"])[1:] and p,
            "the second document",
        )
        registered = run_step("commune", "register", str(packages[1]["id"]))
        say(f"Commune registered the second one (arrival number {registered['arrival_number']})")
        run_step("province", "recall", str(second["document"]))
        say(f"Province recalled {second['number']}")
        recall = wait_for(
            lambda: [p for p in run_step("commune", "received")["packages"] if p["business"] == 1],
            "the recall on the commune",
        )
        run_step("commune", "accept_recall", str(recall[0]["id"]))
        final = wait_for(
            lambda: [
                d
                for d in run_step("province", "timeline")["deliveries"]
                if d["kind"] == "recall" and "15" in d["statuses"]
            ],
            "status 15 on the province node",
        )
        say(f"Commune accepted the recall: {final[0]}")
        incoming = run_step("commune", "incoming")["documents"]
        say(f"Commune's incoming documents: {incoming}")
        say(
            "Done: document, statuses 01 03 04 05 06 back, recall accepted (15), the recalled "
            "document cancelled on the commune."
        )
        if options.keep:
            say("Nodes keep running (users vt_so / vt_xa, password demo-exchange); Ctrl-C stops")
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
