"""Reads an index written by the extension the way Scenario Lab's Python code reads its own database.

The models below are declared from the DDL in the format spec (section 9.2) with the same
SQLAlchemy column types Scenario Lab uses (DateTime, JSON, Float), and the queries follow the
behaviour of Scenario Lab's Database class (section 9.5). If our DATETIME or JSON encodings were
off, SQLAlchemy would raise while loading rows. Prints the answers as canonical JSON
(floats rounded to 9 decimals, runs sorted by id), the same form as workspace-small.reference.json.

usage: read_with_sqlalchemy.py INDEX_DB|postgresql://… RUN_ID...

A postgresql:// URL is opened as Scenario Lab's Database("postgresql://…") opens it (SQLAlchemy + psycopg2).
"""
import json
import sys

from sqlalchemy import JSON, Column, DateTime, Float, ForeignKey, Integer, String, Text, create_engine, func
from sqlalchemy.orm import declarative_base, sessionmaker

Base = declarative_base()


class Run(Base):
    __tablename__ = "runs"
    id = Column(String, primary_key=True)
    scenario_id = Column(String, nullable=False, index=True)
    scenario_name = Column(String, nullable=False)
    created = Column(DateTime, nullable=False)
    status = Column(String, nullable=False)
    total_turns = Column(Integer, nullable=False)
    total_cost = Column(Float, nullable=False)
    config = Column(JSON)


class Turn(Base):
    __tablename__ = "turns"
    id = Column(Integer, primary_key=True)
    run_id = Column(String, ForeignKey("runs.id"), nullable=False, index=True)
    turn_num = Column(Integer, nullable=False, index=True)
    timestamp = Column(DateTime, nullable=False)
    world_state = Column(Text)


class Decision(Base):
    __tablename__ = "decisions"
    id = Column(Integer, primary_key=True)
    turn_id = Column(Integer, ForeignKey("turns.id"), nullable=False, index=True)
    actor = Column(String, nullable=False, index=True)
    goals = Column(JSON)
    reasoning = Column(Text)
    action = Column(Text)
    timestamp = Column(DateTime, nullable=False)


class Communication(Base):
    __tablename__ = "communications"
    id = Column(String, primary_key=True)
    turn_id = Column(Integer, ForeignKey("turns.id"), nullable=False, index=True)
    type = Column(String, nullable=False)
    sender = Column(String, nullable=False, index=True)
    recipients = Column(JSON)
    content = Column(Text)
    timestamp = Column(DateTime, nullable=False)


class Metric(Base):
    __tablename__ = "metrics"
    id = Column(Integer, primary_key=True)
    turn_id = Column(Integer, ForeignKey("turns.id"), nullable=False, index=True)
    name = Column(String, nullable=False, index=True)
    value = Column(Float, nullable=False)
    actor = Column(String, index=True)
    timestamp = Column(DateTime, nullable=False)


class Cost(Base):
    __tablename__ = "costs"
    id = Column(Integer, primary_key=True)
    run_id = Column(String, ForeignKey("runs.id"), nullable=False, index=True)
    timestamp = Column(DateTime, nullable=False)
    actor = Column(String, nullable=False, index=True)
    phase = Column(String, nullable=False, index=True)
    model = Column(String, nullable=False)
    input_tokens = Column(Integer, nullable=False)
    output_tokens = Column(Integer, nullable=False)
    cost = Column(Float, nullable=False)


def rounded(x):
    return None if x is None else round(x, 9)


def statistics(session, run_id):
    run = session.query(Run).filter(Run.id == run_id).first()
    turn_ids = [t.id for t in session.query(Turn).filter(Turn.run_id == run_id).all()]
    by_phase = {}
    for cost in session.query(Cost).filter(Cost.run_id == run_id).all():
        by_phase[cost.phase] = by_phase.get(cost.phase, 0.0) + cost.cost
    return {
        "run_id": run.id,
        "scenario": run.scenario_name,
        "status": run.status,
        "turns": len(turn_ids),
        "decisions": session.query(Decision).filter(Decision.turn_id.in_(turn_ids)).count(),
        "communications": session.query(Communication).filter(Communication.turn_id.in_(turn_ids)).count(),
        "metrics": session.query(Metric).filter(Metric.turn_id.in_(turn_ids)).count(),
        "total_cost": rounded(run.total_cost),
        "cost_by_phase": {k: rounded(v) for k, v in by_phase.items()},
    }


def main(path, run_ids):
    engine = create_engine(path if path.startswith(("postgresql://", "postgres://")) else f"sqlite:///{path}")
    session = sessionmaker(bind=engine)()
    runs = session.query(Run).filter(Run.id.in_(run_ids)).order_by(Run.id).all()
    # Loading every row through the ORM is the point: SQLAlchemy parses each DATETIME and JSON value.
    for model in (Turn, Decision, Communication, Metric, Cost):
        for row in session.query(model).all():
            assert row.timestamp.year >= 1970
    for decision in session.query(Decision).all():
        assert isinstance(decision.goals, list)
    names = sorted({m.name for m in session.query(Metric).all()})
    aggregates = {}
    for name in names:
        q = session.query(func.min(Metric.value), func.max(Metric.value), func.avg(Metric.value), func.count(Metric.id))
        q = q.join(Turn, Turn.id == Metric.turn_id).filter(Metric.name == name, Turn.run_id.in_(run_ids))
        low, high, avg, count = q.one()
        aggregates[name] = {"min": rounded(low), "max": rounded(high), "avg": rounded(avg), "count": count}
    print(json.dumps({
        "list_runs": [
            {"id": r.id, "scenario_id": r.scenario_id, "scenario_name": r.scenario_name, "status": r.status,
             "total_turns": r.total_turns, "total_cost": rounded(r.total_cost)}
            for r in runs
        ],
        "run_statistics": {r.id: statistics(session, r.id) for r in runs},
        "aggregate_metrics": aggregates,
        "config_names": {r.id: (r.config or {}).get("name") for r in runs},
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
