"""Fakes of the outside world: loopback servers speaking each network's JSON, and a scripted triage."""
