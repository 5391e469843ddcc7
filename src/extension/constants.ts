/**
 * Every id the extension shares with its manifest (package.json): command ids, view ids, context
 * keys and the context values of tree items and comments that menus' `when` clauses test. One
 * place, like GitLens's constants.commands.ts: a renamed id is changed here and in package.json,
 * and test/unit/ui/contributedIds.test.ts checks the two agree.
 */

/** Command ids, as contributed in package.json `contributes.commands`. */
export const Commands = {
  reindexWorkspace: 'scenarioLab.reindexWorkspace',
  indexFolder: 'scenarioLab.indexFolder',
  manageIndexedFolders: 'scenarioLab.manageIndexedFolders',
  cancelIndexing: 'scenarioLab.cancelIndexing',
  showRunStatisticsText: 'scenarioLab.showRunStatisticsText',
  queryDecisionsForActor: 'scenarioLab.queryDecisionsForActor',
  aggregateMetric: 'scenarioLab.aggregateMetric',
  exportMetricsCsv: 'scenarioLab.exportMetricsCsv',
  backupDatabase: 'scenarioLab.backupDatabase',
  runSqlQuery: 'scenarioLab.runSqlQuery',
  copyRunId: 'scenarioLab.copyRunId',
  revealInScenarioLab: 'scenarioLab.revealInScenarioLab',
  openRunFolder: 'scenarioLab.openRunFolder',
  openSource: 'scenarioLab.openSource',
  showMoreDecisions: 'scenarioLab.showMoreDecisions',
  showMoreRuns: 'scenarioLab.showMoreRuns',
  showMoreMetricRuns: 'scenarioLab.showMoreMetricRuns',
  showMetricChart: 'scenarioLab.showMetricChart',
  compareRuns: 'scenarioLab.compareRuns',
  showRunStatistics: 'scenarioLab.showRunStatistics',
  revealMetric: 'scenarioLab.revealMetric',
  analyzeExperiment: 'scenarioLab.analyzeExperiment',
  compareActorStrategies: 'scenarioLab.compareActorStrategies',
  openExperimentInNotebook: 'scenarioLab.openExperimentInNotebook',
  setDatabasePassword: 'scenarioLab.setDatabasePassword',
  annotationsCreate: 'scenarioLab.annotations.create',
  annotationsReply: 'scenarioLab.annotations.reply',
  annotationsEditComment: 'scenarioLab.annotations.editComment',
  annotationsSaveComment: 'scenarioLab.annotations.saveComment',
  annotationsCancelEdit: 'scenarioLab.annotations.cancelEdit',
  annotationsDeleteComment: 'scenarioLab.annotations.deleteComment',
  annotationsDeleteThread: 'scenarioLab.annotations.deleteThread',
  annotationsResolve: 'scenarioLab.annotations.resolve',
  annotationsUnresolve: 'scenarioLab.annotations.unresolve',
  annotationsSetLabel: 'scenarioLab.annotations.setLabel',
  annotationsSetRating: 'scenarioLab.annotations.setRating',
  annotationsExportCsv: 'scenarioLab.annotations.exportCsv',
  annotationsExportReport: 'scenarioLab.annotations.exportReport',
} as const;

/** View ids, as contributed in package.json `contributes.views`. */
export const Views = {
  runs: 'scenarioLab.runs',
  actors: 'scenarioLab.actors',
  metrics: 'scenarioLab.metrics',
  annotations: 'scenarioLab.annotations',
  experiments: 'scenarioLab.experiments',
} as const;

/** Comment controller ids (`commentController` in `when` clauses). */
export const CommentControllers = {
  review: 'scenarioLab.review',
} as const;

/** Context keys set with `setContext`, tested in package.json `when` clauses. */
export const ContextKeys = {
  /** The index service's state kind: starting, indexing, idle, failed (IndexState). */
  indexState: 'scenarioLab.indexState',
} as const;

/**
 * Context values of tree items and comments (`viewItem`, `commentThread`, `comment` in `when`
 * clauses). Only some are tested by menus today; all are listed so a menu can be added by name.
 */
export const ContextValues = {
  scenario: 'scenario',
  run: 'run',
  runFolder: 'runFolder',
  turn: 'turn',
  worldState: 'worldState',
  decision: 'decision',
  message: 'message',
  /** The Messages and Metrics groups below a turn (GroupNode in runsTreeNodes.ts: its label in lower case). */
  messages: 'messages',
  metrics: 'metrics',
  metricValue: 'metricValue',
  metric: 'metric',
  metricScenario: 'metricScenario',
  metricRun: 'metricRun',
  actor: 'actor',
  actorScenario: 'actorScenario',
  showMore: 'showMore',
  experiment: 'experiment',
  variation: 'variation',
  batchRun: 'batchRun',
  batchRunFailed: 'batchRunFailed',
  annotation: 'annotation',
  annotationRun: 'annotationRun',
  annotationLabel: 'annotationLabel',
  annotationComment: 'annotationComment',
  annotationQuote: 'annotationQuote',
} as const;

/** A comment thread's context value: `annotation-open`, `annotation-resolved`, with `-outdated` when its text moved away. */
export function annotationThreadContext(resolved: boolean, outdated: boolean): string {
  return `annotation-${resolved ? 'resolved' : 'open'}${outdated ? '-outdated' : ''}`;
}
