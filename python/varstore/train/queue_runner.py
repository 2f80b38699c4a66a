"""``tf.train.queue_runner``: TF's namespace of the queue-runner functions."""

from varstore.train.queue_runner_impl import QueueRunner, add_queue_runner, start_queue_runners

__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]
