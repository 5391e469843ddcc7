/**
 * The analytics questions of Scenario Lab's database guide, as typed functions over Kysely.
 * The facade is the only door to the queries: the CLI, the extension and the webviews all ask it.
 * The queries live in one module per subject (runQueries, turnQueries, decisionQueries,
 * communicationQueries, metricQueries, statisticsQueries, bookkeepingQueries and the older
 * subject modules imported below); originJoin.ts holds what they share.
 *
 * Semantics follow Scenario Lab's `Database` class (docs/format.md#query-api) where it answers the guide's
 * question (filters apply only when given, inner joins, counts of stored rows), and the guide's
 * names where the two disagree (docs/format.md#guide-vs-code).
 */
import type { Kysely } from 'kysely';
import type { IndexDatabase } from '../db/schema';
import { actorStrategy, type ActorStrategyOptions } from './actorStrategy';
import { findExperiments, listExperiments, variationStatistics, type VariationStatisticsOptions } from './experiments';
import { declaredMetricRange, metricChartChoices } from './metricDistribution';
import { countAnnotations, listAnnotations, type AnnotationFilters } from './annotations';
import type { Analytics } from './analyticsApi';
import { actorDecision, linePlace, runFileContext, runMetricSeries, scenarioMetricSummary } from './hoverQueries';
import { filterRuns, type RunFilter } from './runFilter';
import { experimentMetricNames, variationEvolution, worldStateSource, worldStateSources, type VariationEvolutionOptions } from './variationEvolution';
import { getRun, getRunByFolder, listFolders, listRunIds, listRunNames, listRuns, listScenarios } from './runQueries';
import { listTurns } from './turnQueries';
import { listActors, listDecisions, listDecisionsPage } from './decisionQueries';
import { listCommunications } from './communicationQueries';
import {
  aggregateMetrics,
  listMetricActors,
  listMetricNames,
  metricEvolution,
  listMetricRunIds,
  metricSeriesByRun,
  metricSummaryByRun,
  queryMetrics,
  queryMetricsPage,
} from './metricQueries';
import { compareRuns, costByTurn, getRunStatistics, runStatisticsPerFolder } from './statisticsQueries';
import { folderActivity, listProblems, runIdClashes } from './bookkeepingQueries';
import type { MetricFilters } from './types';

export type { Analytics } from './analyticsApi';

/** The analytics facade over one Kysely instance (the index's, or the worker client's). */
export function createAnalytics(db: Kysely<IndexDatabase>): Analytics {
  return {
    getRun: (runId: string) => getRun(db, runId),
    getRunByFolder: (folderPath: string) => getRunByFolder(db, folderPath),
    listRuns: (options: { scenarioId?: string } = {}) => listRuns(db, options),
    listRunIds: (options: { scenarioId?: string } = {}) => listRunIds(db, options),
    listRunNames: (options: { scenarioId?: string } = {}) => listRunNames(db, options),
    listFolders: (options: { withoutRun?: boolean } = {}) => listFolders(db, options),
    listScenarios: () => listScenarios(db),
    listActors: (options: { scenario?: string } = {}) => listActors(db, options),
    listMetricNames: (options: { scenario?: string } = {}) => listMetricNames(db, options),
    listMetricActors: (metricName: string, options: { scenario?: string } = {}) => listMetricActors(db, metricName, options),
    listTurns: (runId: string) => listTurns(db, runId),
    listDecisions: (runId: string, turnNum?: number) => listDecisions(db, { runId, turnNum }),
    listCommunications: (runId: string, turnNum?: number) => listCommunications(db, runId, turnNum),
    queryDecisionsForActor: (actor: string, options: { scenario?: string } = {}) => listDecisions(db, { actor, scenario: options.scenario }),
    queryDecisionsForActorPage: (actor: string, options: { scenario?: string }, page: { offset: number; limit: number }) =>
      listDecisionsPage(db, { actor, scenario: options.scenario }, page),
    queryMetrics: (filters: MetricFilters = {}) => queryMetrics(db, filters),
    queryMetricsPage: (filters: MetricFilters, page: { offset: number; limit: number }) => queryMetricsPage(db, filters, page),
    listMetricRunIds: (metricName: string, options: { scenario?: string; actor?: string } = {}) => listMetricRunIds(db, metricName, options),
    metricSeriesByRun: (metricName: string, options: { scenario?: string; actor?: string; runIds?: readonly string[] } = {}) =>
      metricSeriesByRun(db, metricName, options),
    metricSummaryByRun: (runIds: readonly string[]) => metricSummaryByRun(db, runIds),
    getRunStatistics: (runId: string) => getRunStatistics(db, runId),
    runStatisticsPerFolder: (key: string) => runStatisticsPerFolder(db, [key]),
    compareRuns: (runIds: readonly string[]) => compareRuns(db, runIds),
    aggregateMetrics: (metricName: string, options: { scenario?: string; actor?: string; runIds?: readonly string[] } = {}) =>
      aggregateMetrics(db, metricName, options),
    metricEvolution: (metricName: string, options: { scenario?: string; actor?: string; runIds?: readonly string[] } = {}) =>
      metricEvolution(db, metricName, options),
    costByTurn: (runId: string) => costByTurn(db, runId),
    /** The range metrics.yaml declares for a metric (in one scenario, or spanning all); undefined when none does. */
    declaredMetricRange: (metricName: string, scenario?: string) => declaredMetricRange(db, metricName, scenario),
    /** Every metric name, and the scenarios that have `metricName` (cheap reads for the chart's choices). */
    metricChartChoices: (metricName: string) => metricChartChoices(db, metricName),
    listProblems: () => listProblems(db),
    folderActivity: (options: { runStatus?: string } = {}) => folderActivity(db, options),
    runIdClashes: () => runIdClashes(db),
    listExperiments: () => listExperiments(db),
    findExperiments: (experiment: string) => findExperiments(db, experiment),
    variationStatistics: (experiment: string, options: VariationStatisticsOptions = {}) => variationStatistics(db, experiment, options),
    filterRuns: (filter: RunFilter) => filterRuns(db, filter),
    experimentMetricNames: (experimentFolder: string) => experimentMetricNames(db, experimentFolder),
    variationEvolution: (experimentFolder: string, metric: string, options: VariationEvolutionOptions = {}) => variationEvolution(db, experimentFolder, metric, options),
    worldStateSource: (folder: string, turn: number) => worldStateSource(db, folder, turn),
    worldStateSources: (wanted: ReadonlyArray<{ folder: string; turn: number }>) => worldStateSources(db, wanted),
    runFileContext: (fileKey: string) => runFileContext(db, fileKey),
    linePlace: (folderId: number, fileKey: string, line: number) => linePlace(db, folderId, fileKey, line),
    runMetricSeries: (runId: string, metric: string) => runMetricSeries(db, runId, metric),
    scenarioMetricSummary: (scenarioId: string, metric: string) => scenarioMetricSummary(db, scenarioId, metric),
    actorDecision: (runId: string, turnNum: number, actor: string) => actorDecision(db, runId, turnNum, actor),
    listAnnotations: (filters: AnnotationFilters = {}) => listAnnotations(db, filters),
    countAnnotations: (runId: string) => countAnnotations(db, runId),
    /** One actor's decisions compared across variations, runs or scenarios (actorStrategy.ts). */
    actorStrategy: (actor: string, options: ActorStrategyOptions = {}) => actorStrategy(db, actor, options),
  };
}
