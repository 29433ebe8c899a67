"""Job handlers, periodic schedules and delivery pumps, registered by the features that own them."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

log = logging.getLogger("umuhuza.worker")

Handler = Callable[[dict[str, Any]], None]
# Called when the worker gives up on a job (its last attempt failed): payload, last error.
FailureHook = Callable[[dict[str, Any], str], None]
# A pump processes one batch of some queue (the email outbox) and returns how many rows it handled.
Pump = Callable[[str], int]

HANDLERS: dict[str, Handler] = {}
PUMPS: dict[str, Pump] = {}
FAILURE_HOOKS: dict[str, FailureHook] = {}


@dataclass(frozen=True, slots=True)
class PeriodicSchedule:
    name: str
    every: timedelta
    kind: str


SCHEDULES: dict[str, PeriodicSchedule] = {}

# Modules whose import registers handlers, schedules and pumps (imported by the worker).
WORKER_MODULES = (
    "app.jobs.periodic",
    "app.outreach.jobs",
    "app.placements.jobs",
    "app.profiles.jobs",
)


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function running jobs of this kind; it gets the payload, must not commit."""

    def decorator(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return decorator


def on_final_failure(kind: str) -> Callable[[FailureHook], FailureHook]:
    """Register what to do when a job of this kind fails for good, so the row it was working on
    does not wait forever (a CV left "queued"); runs in the transaction marking the job failed,
    must not commit."""

    def decorator(func: FailureHook) -> FailureHook:
        FAILURE_HOOKS[kind] = func
        return func

    return decorator


def periodic(name: str, every: timedelta) -> Callable[[Handler], Handler]:
    """Register a handler the worker enqueues once per `every` (one run per slot, fleet-wide)."""

    def decorator(func: Handler) -> Handler:
        kind = f"periodic.{name}"
        HANDLERS[kind] = func
        SCHEDULES[name] = PeriodicSchedule(name=name, every=every, kind=kind)
        return func

    return decorator


def pump(name: str) -> Callable[[Pump], Pump]:
    """Register a queue the worker drains in batches (the function receives the worker id)."""

    def decorator(func: Pump) -> Pump:
        PUMPS[name] = func
        return func

    return decorator


def load_worker_modules() -> None:
    """Import every module that registers work, so a bare worker knows all kinds."""
    for module in WORKER_MODULES:
        importlib.import_module(module)


def slot_key(schedule: PeriodicSchedule, now: datetime) -> str:
    """Return the unique key of the schedule's current slot (same for every worker)."""
    slot = int(now.timestamp() // schedule.every.total_seconds())
    return f"periodic:{schedule.name}:{slot}"
