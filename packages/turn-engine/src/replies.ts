import type { EscalationReason } from '@agentops/core';

/**
 * Everything the platform itself says to a user. Short, specific, and never naming internals: a
 * user reads these when something went wrong, so they say what happens next.
 */
export const HANDOFF_REPLIES: Record<EscalationReason, string> = {
  tool_failures:
    "I'm having trouble reaching the system I need for this, so I've passed your conversation to a member of our support team. They'll reply here soon.",
  user_request: "I've asked a member of our support team to join. They'll reply here soon.",
  step_limit:
    "This is taking me longer than it should, so I've passed your conversation to a person on our team. They'll reply here soon.",
  budget:
    "I've reached the limit of what I can do in this conversation, so I've passed it to a member of our support team. They'll reply here soon.",
  injection:
    "Something in the information I looked up didn't look right, so I've stopped and passed your conversation to a member of our support team. They'll reply here soon.",
  policy: "I've passed your conversation to a member of our support team. They'll reply here soon.",
};

export const REPLIES = {
  whileEscalated: 'Thanks, your message is with our support team. A person will answer here soon.',
  sessionClosed: 'This conversation has ended. Please start a new one if you need more help.',
  modelUnavailable: "I'm sorry, I couldn't answer just now. Please try again in a moment.",
  emptyAnswer: "I'm sorry, I don't have an answer for that. Could you rephrase it?",
  internalFailure: "I'm sorry, something went wrong on our side while answering. Please try again.",
  budgetExhausted: 'This conversation has reached its limit. Please start a new one to continue.',
  platformBusy:
    "I'm sorry, we're handling a lot of conversations right now. Please try again in a little while.",
  messageTooLong: 'Your message is too long for me to handle in one go. Could you shorten it or split it up?',
} as const;

export const TOOL_MESSAGES = {
  declined: 'declined by the user: do not do this, and do not ask again in this turn',
  expired: 'the confirmation expired before the user approved it; nothing was done',
  superseded: 'cancelled: the user sent a new message instead of confirming; nothing was done',
  oneConfirmationAtATime:
    "not run: only one action that needs the user's confirmation can wait at a time; ask again afterwards",
  handoffCancelled: 'not run: the conversation was handed to a person',
  didNotFinish: 'the tool did not finish; it may be retried later',
} as const;
