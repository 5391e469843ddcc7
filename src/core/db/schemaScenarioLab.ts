/**
 * Scenario Lab's own tables, part of the schema that db/schema.ts owns (bump its SCHEMA_VERSION
 * when a statement here changes). They are created with exactly the DDL Scenario Lab's SQLAlchemy
 * models produce, so `sqlite3` and Scenario Lab's Python `Database` class read our file as their own.
 */

/** Scenario Lab's tables, verbatim from `Base.metadata.create_all()` (docs/format.md#schema). */
export const SCENARIO_LAB_DDL = `
CREATE TABLE runs (
	id VARCHAR NOT NULL, 
	scenario_id VARCHAR NOT NULL, 
	scenario_name VARCHAR NOT NULL, 
	created DATETIME NOT NULL, 
	status VARCHAR NOT NULL, 
	total_turns INTEGER NOT NULL, 
	total_cost FLOAT NOT NULL, 
	config JSON, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_runs_scenario_id ON runs (scenario_id);
CREATE TABLE turns (
	id INTEGER NOT NULL, 
	run_id VARCHAR NOT NULL, 
	turn_num INTEGER NOT NULL, 
	timestamp DATETIME NOT NULL, 
	world_state TEXT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(run_id) REFERENCES runs (id)
);
CREATE INDEX ix_turns_turn_num ON turns (turn_num);
CREATE INDEX ix_turns_run_id ON turns (run_id);
CREATE TABLE costs (
	id INTEGER NOT NULL, 
	run_id VARCHAR NOT NULL, 
	timestamp DATETIME NOT NULL, 
	actor VARCHAR NOT NULL, 
	phase VARCHAR NOT NULL, 
	model VARCHAR NOT NULL, 
	input_tokens INTEGER NOT NULL, 
	output_tokens INTEGER NOT NULL, 
	cost FLOAT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(run_id) REFERENCES runs (id)
);
CREATE INDEX ix_costs_phase ON costs (phase);
CREATE INDEX ix_costs_actor ON costs (actor);
CREATE INDEX ix_costs_run_id ON costs (run_id);
CREATE TABLE decisions (
	id INTEGER NOT NULL, 
	turn_id INTEGER NOT NULL, 
	actor VARCHAR NOT NULL, 
	goals JSON, 
	reasoning TEXT, 
	action TEXT, 
	timestamp DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(turn_id) REFERENCES turns (id)
);
CREATE INDEX ix_decisions_actor ON decisions (actor);
CREATE INDEX ix_decisions_turn_id ON decisions (turn_id);
CREATE TABLE communications (
	id VARCHAR NOT NULL, 
	turn_id INTEGER NOT NULL, 
	type VARCHAR NOT NULL, 
	sender VARCHAR NOT NULL, 
	recipients JSON, 
	content TEXT, 
	timestamp DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(turn_id) REFERENCES turns (id)
);
CREATE INDEX ix_communications_turn_id ON communications (turn_id);
CREATE INDEX ix_communications_sender ON communications (sender);
CREATE TABLE metrics (
	id INTEGER NOT NULL, 
	turn_id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	value FLOAT NOT NULL, 
	actor VARCHAR, 
	timestamp DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(turn_id) REFERENCES turns (id)
);
CREATE INDEX ix_metrics_actor ON metrics (actor);
CREATE INDEX ix_metrics_turn_id ON metrics (turn_id);
CREATE INDEX ix_metrics_name ON metrics (name);
`;

/** Tables Scenario Lab's Python models create; the order is a safe order to delete rows in. */
export const SCENARIO_LAB_TABLES = ['decisions', 'communications', 'metrics', 'turns', 'costs', 'runs'] as const;
