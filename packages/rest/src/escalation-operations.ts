import { ProblemSchema } from './api-schemas.ts';
import {
  ClaimBody,
  EscalationList,
  EscalationReplyBody,
  EscalationReplyResult,
  EscalationView,
  ResolveBody,
} from './escalation-schemas.ts';
import type { Operation } from './openapi.ts';

const problem = (description: string) => ({ description, schema: ProblemSchema });

const supportProblems = {
  '400': problem('Invalid input (problem JSON with errors)'),
  '401': problem('Missing or unknown API key'),
  '403': problem('The key is not a support or ops key'),
  '404': problem('Not found, or another tenant’s'),
};

const heldElsewhere = problem(
  'Not claimed yet, claimed by another agent, already resolved, or the user’s session has expired',
);

/** The support desk's operations (API.md, "Escalations") for /openapi.json. */
export const ESCALATION_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/v1/escalations',
    summary:
      'Escalations, oldest first: ?status=waiting|claimed|resolved (default all), ?limit=1..500 (default 100)',
    role: 'support',
    responses: { '200': { description: 'The list', schema: EscalationList }, ...supportProblems },
  },
  {
    method: 'get',
    path: '/v1/escalations/{escalationId}',
    summary: 'An escalation with its session’s messages (also those the user sent while waiting)',
    role: 'support',
    responses: { '200': { description: 'The escalation', schema: EscalationView }, ...supportProblems },
  },
  {
    method: 'post',
    path: '/v1/escalations/{escalationId}/claim',
    summary: 'Claim an escalation for one agent, exclusively',
    role: 'support',
    body: ClaimBody,
    responses: {
      '200': { description: 'Claimed (also when this agent had claimed it already)', schema: EscalationView },
      '409': problem('Claimed by another agent, or resolved'),
      ...supportProblems,
    },
  },
  {
    method: 'post',
    path: '/v1/escalations/{escalationId}/reply',
    summary: 'Send a message to the user: it joins the session’s history as role agent and its event stream',
    role: 'support',
    body: EscalationReplyBody,
    responses: {
      '200': { description: 'Delivered', schema: EscalationReplyResult },
      '409': heldElsewhere,
      ...supportProblems,
    },
  },
  {
    method: 'post',
    path: '/v1/escalations/{escalationId}/resolve',
    summary: 'Resolve: return_to_bot makes the session active again, close closes it',
    role: 'support',
    body: ResolveBody,
    responses: {
      '200': { description: 'Resolved (also when resolved the same way before)', schema: EscalationView },
      '409': heldElsewhere,
      ...supportProblems,
    },
  },
];
