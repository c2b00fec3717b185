"""Batch step programs named by the job streams in batch/, and the runner that runs them.

`streams` reads the job streams; `runner` runs one as a BATCH_RUN (resumable, with return
codes and an outbox); `job` gives a step its commits-with-checkpoints; each other module is a
step program (`streams.NAMES`). Steps call the same transactions the screens call.
"""
