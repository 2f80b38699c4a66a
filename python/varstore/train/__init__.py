"""``tf.train``: optimizers, the global step, learning-rate schedules, moving averages,
and checkpoints (Saver, readers, warm starts).

Checkpoints are TF's V2 format (tensor bundles: ``.index`` + ``.data-*`` files, read and
written without TensorFlow) or safetensors files; every reader detects which from the files.
"""

from __future__ import annotations

from varstore.framework.meta_graph import export_meta_graph, import_meta_graph
from varstore.io.example_pb2 import (
    BytesList,
    Example,
    Feature,
    FeatureList,
    FeatureLists,
    Features,
    FloatList,
    Int64List,
    SequenceExample,
)
from varstore.train import queue_runner
from varstore.train.adadelta import AdadeltaOptimizer
from varstore.train.adagrad_da import AdagradDAOptimizer
from varstore.train.adam import AdamOptimizer
from varstore.train.basic_session_run_hooks import (
    CheckpointSaverHook,
    CheckpointSaverListener,
    FeedFnHook,
    FinalOpsHook,
    GlobalStepWaiterHook,
    LoggingTensorHook,
    NanLossDuringTrainingError,
    NanTensorHook,
    SecondOrStepTimer,
    StepCounterHook,
    StopAtStepHook,
    SummarySaverHook,
)
from varstore.train.checkpoint_management import (
    CheckpointState,
    checkpoint_exists,
    generate_checkpoint_state_proto,
    get_checkpoint_mtimes,
    get_checkpoint_state,
    latest_checkpoint,
    remove_checkpoint,
    update_checkpoint_state,
)
from varstore.train.checkpoint_reader import CheckpointReader, NewCheckpointReader
from varstore.train.checkpoint_utils import (
    checkpoints_iterator,
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from varstore.train.coordinator import Coordinator, LooperThread
from varstore.train.device_setter import replica_device_setter
from varstore.train.ftrl import FtrlOptimizer
from varstore.train.gradient_descent import GradientDescentOptimizer, MomentumOptimizer
from varstore.train.graph_io import write_graph
from varstore.train.input import (
    batch,
    batch_join,
    input_producer,
    limit_epochs,
    maybe_batch,
    maybe_batch_join,
    maybe_shuffle_batch,
    maybe_shuffle_batch_join,
    range_input_producer,
    shuffle_batch,
    shuffle_batch_join,
    slice_input_producer,
    string_input_producer,
)
from varstore.train.learning_rate_decay import (
    cosine_decay,
    cosine_decay_restarts,
    exponential_decay,
    inverse_time_decay,
    linear_cosine_decay,
    natural_exp_decay,
    noisy_linear_cosine_decay,
    piecewise_constant,
    polynomial_decay,
)
from varstore.train.learning_rate_decay import piecewise_constant as piecewise_constant_decay
from varstore.train.monitored_session import (
    ChiefSessionCreator,
    MonitoredSession,
    MonitoredTrainingSession,
    Scaffold,
    SessionCreator,
    SingularMonitoredSession,
    WorkerSessionCreator,
)
from varstore.train.moving_averages import ExponentialMovingAverage
from varstore.train.optimizer import Optimizer
from varstore.train.proximal import ProximalAdagradOptimizer, ProximalGradientDescentOptimizer
from varstore.train.queue_runner_impl import (
    QueueRunner,
    add_queue_runner,
    start_queue_runners,
)
from varstore.train.rmsprop import AdagradOptimizer, RMSPropOptimizer
from varstore.train.saver import Saver
from varstore.train.server_lib import ClusterSpec, Server
from varstore.train.session_manager import SessionManager
from varstore.train.session_run_hook import (
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
)
from varstore.train.supervisor import Supervisor, basic_train_loop
from varstore.train.training_util import (
    assert_global_step,
    create_global_step,
    get_global_step,
    get_or_create_global_step,
    global_step,
)
from varstore.train.warm_starting_util import VocabInfo, warm_start

__all__ = [
    "AdadeltaOptimizer",
    "AdagradDAOptimizer",
    "AdagradOptimizer",
    "AdamOptimizer",
    "BytesList",
    "CheckpointReader",
    "CheckpointSaverHook",
    "CheckpointSaverListener",
    "CheckpointState",
    "ChiefSessionCreator",
    "ClusterDef",
    "ClusterSpec",
    "Coordinator",
    "Example",
    "ExponentialMovingAverage",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FeedFnHook",
    "FinalOpsHook",
    "FloatList",
    "FtrlOptimizer",
    "GlobalStepWaiterHook",
    "GradientDescentOptimizer",
    "Int64List",
    "JobDef",
    "LoggingTensorHook",
    "LooperThread",
    "MomentumOptimizer",
    "MonitoredSession",
    "MonitoredTrainingSession",
    "NanLossDuringTrainingError",
    "NanTensorHook",
    "NewCheckpointReader",
    "Optimizer",
    "ProximalAdagradOptimizer",
    "ProximalGradientDescentOptimizer",
    "QueueRunner",
    "RMSPropOptimizer",
    "Saver",
    "SaverDef",
    "Scaffold",
    "SecondOrStepTimer",
    "SequenceExample",
    "Server",
    "SessionCreator",
    "SessionManager",
    "SessionRunArgs",
    "SessionRunContext",
    "SessionRunHook",
    "SessionRunValues",
    "SingularMonitoredSession",
    "StepCounterHook",
    "StopAtStepHook",
    "SummarySaverHook",
    "Supervisor",
    "VocabInfo",
    "WorkerSessionCreator",
    "add_queue_runner",
    "assert_global_step",
    "basic_train_loop",
    "batch",
    "batch_join",
    "checkpoint_exists",
    "checkpoints_iterator",
    "cosine_decay",
    "cosine_decay_restarts",
    "create_global_step",
    "exponential_decay",
    "export_meta_graph",
    "generate_checkpoint_state_proto",
    "get_checkpoint_mtimes",
    "get_checkpoint_state",
    "get_global_step",
    "get_or_create_global_step",
    "global_step",
    "import_meta_graph",
    "init_from_checkpoint",
    "input_producer",
    "inverse_time_decay",
    "latest_checkpoint",
    "limit_epochs",
    "linear_cosine_decay",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "maybe_batch",
    "maybe_batch_join",
    "maybe_shuffle_batch",
    "maybe_shuffle_batch_join",
    "natural_exp_decay",
    "noisy_linear_cosine_decay",
    "piecewise_constant",
    "piecewise_constant_decay",
    "polynomial_decay",
    "queue_runner",
    "range_input_producer",
    "remove_checkpoint",
    "replica_device_setter",
    "shuffle_batch",
    "shuffle_batch_join",
    "slice_input_producer",
    "start_queue_runners",
    "string_input_producer",
    "summary_iterator",
    "update_checkpoint_state",
    "warm_start",
    "write_graph",
]


def __getattr__(name: str) -> object:
    """``tf.train.SaverDef``, ``ClusterDef``, ``JobDef``: TF's proto classes, built on
    first use;
    ``tf.train.summary_iterator`` (it needs tensorboardX's protos)."""
    if name == "summary_iterator":
        from varstore.summary.writer import summary_iterator

        return summary_iterator
    if name in ("ClusterDef", "JobDef"):
        from varstore.train import server_lib

        return getattr(server_lib, name)
    if name == "SaverDef":
        from varstore.framework.meta_graph_pb2 import SaverDef

        return SaverDef
    raise AttributeError(f"module 'varstore.train' has no attribute {name!r}: varstore lacks "
                         f"tf.train.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
