#!/usr/bin/env python3
"""Komodo's Python client (PyPI komodo-api, generated from Komodo's own types as pydantic models) against the
simulated Core: every answer the homelab uses is validated by the client's models. Prints one line per call and
exits non-zero on the first answer the client refuses.

usage: komodo_peer.py URL  (KOMODO_API_KEY, KOMODO_API_SECRET in the environment; SSL_CERT_FILE names the run's CA)
"""
import asyncio
import os
import sys

from komodo_api.lib import ApiKeyInitOptions, KomodoClient
from komodo_api.types import (
    DeployStack, ExportAllResourcesToToml, GetCoreInfo, GetResourceSync, GetServer, GetServerState, GetStack, GetUpdate,
    GetVersion, ListAlerts, ListDeployments, ListResourceSyncs, ListServers, ListStacks, ListStackServices, ListSwarms,
    ListUpdates, PullStack, RefreshResourceSyncPending, RunSync,
)


async def main(url):
    async with KomodoClient(url, ApiKeyInitOptions(os.environ["KOMODO_API_KEY"], os.environ["KOMODO_API_SECRET"])) as api:
        def ok(name, detail=""):
            print(f"ok {name} {detail}".rstrip(), flush=True)

        ok("GetVersion", (await api.read.getVersion(GetVersion())).version)
        ok("GetCoreInfo", (await api.read.getCoreInfo(GetCoreInfo())).title)
        servers = await api.read.listServers(ListServers(page=0, limit=2))
        ok("ListServers", f"{len(servers)} on page 0 of 2")
        ok("GetServer", (await api.read.getServer(GetServer(server=servers[0].name))).name)
        ok("GetServerState", str((await api.read.getServerState(GetServerState(server=servers[0].name))).status))
        ok("ListSwarms", str(len(await api.read.listSwarms(ListSwarms()))))
        stacks = await api.read.listStacks(ListStacks(limit=0))
        ok("ListStacks", str(len(stacks)))
        stack = await api.read.getStack(GetStack(stack="ingress"))
        ok("GetStack", stack.name)
        ok("ListStackServices", str(len(await api.read.listStackServices(ListStackServices(stack="ingress")))))
        ok("ListDeployments", str(len(await api.read.listDeployments(ListDeployments()))))
        ok("ListResourceSyncs", str(len(await api.read.listResourceSyncs(ListResourceSyncs()))))
        sync = await api.read.getResourceSync(GetResourceSync(sync="homelab"))
        ok("GetResourceSync", str(len(sync.info.resource_updates or [])) + " pending")
        ok("RefreshResourceSyncPending", (await api.write.refreshResourceSyncPending(RefreshResourceSyncPending(sync="homelab"))).name)
        updates = await api.read.listUpdates(ListUpdates())
        ok("ListUpdates", f"{len(updates.updates)} next {updates.next_page}")
        ok("GetUpdate", (await api.read.getUpdate(GetUpdate(id=updates.updates[0].id))).operation)
        ok("ListAlerts", str(len((await api.read.listAlerts(ListAlerts())).alerts)))
        ok("ExportAllResourcesToToml", str(len((await api.read.exportAllResourcesToToml(ExportAllResourcesToToml(include_resources=True))).toml)))
        update = await api.execute.deployStack(DeployStack(stack="ingress"))
        done = await api.poll_update_until_complete(update, sleep_seconds=1)
        ok("DeployStack", f"{getattr(done.status, 'value', done.status)} success={done.success} commit={done.commit_hash}")
        failed = await api.poll_update_until_complete(await api.execute.deployStack(DeployStack(stack="media-enrichment")), sleep_seconds=1)
        ok("DeployStack(failing)", f"success={failed.success}")
        ok("PullStack", str((await api.poll_update_until_complete(await api.execute.pullStack(PullStack(stack="ingress")), 1)).success))
        ok("RunSync", str((await api.poll_update_until_complete(await api.execute.runSync(RunSync(sync="homelab")), 1)).success))


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1]))
    except Exception as error:  # the client's validation error names the field the answer lacks
        print(f"FAILED: {type(error).__name__}: {error}", flush=True)
        sys.exit(1)
