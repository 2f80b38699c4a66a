"""``tf.train.ClusterSpec`` and ``tf.train.Server`` (TF's training/server_lib.py).

ClusterSpec is TF's data structure in full (jobs, task indices and addresses, the
``ClusterDef`` proto, which protobuf builds here from TF's cluster.proto fields).
varstore has no distributed runtime: ``Server`` raises UnimplementedError saying so.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool

from varstore import errors
from varstore.framework._protobuf import message_class_getter

__all__ = ["ClusterSpec", "Server"]

_F = descriptor_pb2.FieldDescriptorProto


@cache
def _classes() -> tuple[Any, Any]:
    # tensorflow/core/protobuf/cluster.proto: JobDef {name = 1; map<int32, string> tasks
    # = 2}, ClusterDef {repeated JobDef job = 1}
    f = descriptor_pb2.FileDescriptorProto(name="tensorflow/core/protobuf/cluster.proto",
                                           package="tensorflow", syntax="proto3")
    job = f.message_type.add(name="JobDef")
    job.field.add(name="name", number=1, label=_F.LABEL_OPTIONAL, type=_F.TYPE_STRING,
                  json_name="name")
    entry = job.nested_type.add(name="TasksEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, label=_F.LABEL_OPTIONAL, type=_F.TYPE_INT32,
                    json_name="key")
    entry.field.add(name="value", number=2, label=_F.LABEL_OPTIONAL, type=_F.TYPE_STRING,
                    json_name="value")
    job.field.add(name="tasks", number=2, label=_F.LABEL_REPEATED, type=_F.TYPE_MESSAGE,
                  type_name=".tensorflow.JobDef.TasksEntry", json_name="tasks")
    cluster = f.message_type.add(name="ClusterDef")
    cluster.field.add(name="job", number=1, label=_F.LABEL_REPEATED, type=_F.TYPE_MESSAGE,
                      type_name=".tensorflow.JobDef", json_name="job")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    get_class = message_class_getter(pool)
    return (get_class(pool.FindMessageTypeByName("tensorflow.JobDef")),
            get_class(pool.FindMessageTypeByName("tensorflow.ClusterDef")))


def __getattr__(name: str) -> Any:
    if name == "JobDef":
        return _classes()[0]
    if name == "ClusterDef":
        return _classes()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _as_text(v: Any, what: str) -> str:
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, str):
        return v
    raise TypeError(f"{what} {v!r} must be bytes or unicode")


class ClusterSpec:
    """Jobs -> task index -> network address, from a dict (of lists or of index->address
    dicts), a ClusterDef or another ClusterSpec."""

    def __init__(self, cluster: Any) -> None:
        cluster_def_cls = _classes()[1]
        self._cluster_spec: dict[str, dict[int, str]] = {}
        if isinstance(cluster, dict):
            for job_name, tasks in cluster.items():
                if isinstance(tasks, (list, tuple)):
                    job_tasks = dict(enumerate(tasks))
                elif isinstance(tasks, dict):
                    job_tasks = {int(i): task for i, task in tasks.items()}
                else:
                    raise TypeError(f"The tasks for job {job_name!r} must be a list or a "
                                    "dictionary from integers to strings.")
                self._cluster_spec[job_name] = job_tasks
            self._make_cluster_def()
        elif isinstance(cluster, (cluster_def_cls, ClusterSpec)):
            self._cluster_def = cluster_def_cls()
            self._cluster_def.MergeFrom(cluster if isinstance(cluster, cluster_def_cls)
                                        else cluster.as_cluster_def())
            for job_def in self._cluster_def.job:
                self._cluster_spec[job_def.name] = dict(job_def.tasks.items())
        else:
            raise TypeError("`cluster` must be a dictionary mapping one or more job names "
                            "to lists of network addresses, or a `ClusterDef` protocol "
                            "buffer")

    def __bool__(self) -> bool:
        return bool(self._cluster_spec)

    def __eq__(self, other: object) -> bool:
        # TF compares the job dict with ``other`` as it is (a ClusterSpec compares unequal)
        return self._cluster_spec == other

    def __ne__(self, other: object) -> bool:
        return self._cluster_spec != other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        kv = self.as_dict()
        return "ClusterSpec({" + ", ".join(f"{k!r}: {kv[k]!r}" for k in sorted(kv)) + "})"

    def as_dict(self) -> dict[str, Any]:
        """Each job's tasks: a list when the indices are 0..n-1, else index -> address."""
        ret: dict[str, Any] = {}
        for job in self.jobs:
            indices = self.task_indices(job)
            if not indices:
                ret[job] = {}
            elif max(indices) + 1 == len(indices):
                ret[job] = self.job_tasks(job)
            else:
                ret[job] = {i: self.task_address(job, i) for i in indices}
        return ret

    def as_cluster_def(self) -> Any:
        return self._cluster_def

    @property
    def jobs(self) -> list[str]:
        return list(self._cluster_spec.keys())

    def _job(self, job_name: str) -> dict[int, str]:
        try:
            return self._cluster_spec[job_name]
        except KeyError:
            raise ValueError(f"No such job in cluster: {job_name!r}") from None

    def num_tasks(self, job_name: str) -> int:
        return len(self._job(job_name))

    def task_indices(self, job_name: str) -> list[int]:
        return sorted(self._job(job_name).keys())

    def task_address(self, job_name: str, task_index: int) -> str:
        job = self._job(job_name)
        try:
            return job[task_index]
        except KeyError:
            raise ValueError(f"No task with index {task_index!r} in job "
                             f"{job_name!r}") from None

    def job_tasks(self, job_name: str) -> list[str | None]:
        job = self._job(job_name)
        ret: list[str | None] = [None] * (max(job.keys()) + 1)
        for i, task in job.items():
            ret[i] = task
        return ret

    def _make_cluster_def(self) -> None:
        self._cluster_def = _classes()[1]()
        for job_name, tasks in sorted(self._cluster_spec.items()):
            job_def = self._cluster_def.job.add()
            job_def.name = _as_text(job_name, "Job name")
            for i, address in sorted(tasks.items()):
                job_def.tasks[i] = _as_text(address, "Task address")


_NO_RUNTIME = ("varstore has no distributed runtime: tf.train.Server cannot start a "
               "server; run the program in one process (tf.Session(''))")


class Server:
    """TF's in-process gRPC server, which varstore does not have."""

    def __init__(self, server_or_cluster_def: Any, job_name: str | None = None,
                 task_index: int | None = None, protocol: str | None = None,
                 config: Any = None, start: bool = True) -> None:
        raise errors.UnimplementedError(None, None, _NO_RUNTIME)

    @staticmethod
    def create_local_server(config: Any = None, start: bool = True) -> Server:
        raise errors.UnimplementedError(None, None, _NO_RUNTIME)
