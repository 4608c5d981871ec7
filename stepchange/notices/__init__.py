"""Every email the portal sends: one package for declaring, queueing, rendering and sending.

- registry.py: the notice types the feature apps declare in their notices.py
  (reason, audience, placeholders, builder, preview example);
- context.py: what a notice's context may hold (plain values only);
- occurrences.py: what each notice is about, its key in the outbox;
- outbox.py: queueing, inside the transaction of the change that causes it;
- rendering.py: the files' wording, or the office's through engine.py, a
  locked-down template engine;
- sending.py and tasks.py: the worker's claim, send, retry and sweep;
- models.py: the Notice and NoticeTemplate tables (app label "stepchange");
- admin.py and previews.py: the outbox and the office's wording in the admin.

Nothing here imports a feature app: they register with the registry at start-up.
"""
