"""Baton's use cases, a package per seam: qualification, handoff, catalog, pipeline, seed, and the
generic outbox. Each use case opens its own unit of work (unit_of_work.UnitOfWork, taken as
`uow=`) and returns plain results; none of them talks to Slack."""
