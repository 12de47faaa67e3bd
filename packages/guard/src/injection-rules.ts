import { INVISIBLE_CHARACTERS } from './normalize.ts';

/** Where the text came from: a user's own message, or the output of a tool (data, never instructions). */
export type TextSource = 'user' | 'tool';

/**
 * One sign that text is trying to steer the agent. Weights add up (each rule counts once) and a
 * text is flagged at `FLAG_THRESHOLD`: no single weak sign flags, two of them or one strong does.
 * A tool's output weighs heavier than a user's message for action words ("send", "refund"),
 * because a customer may ask for a refund but an order record never should.
 */
export interface InjectionRule {
  id: string;
  weight: Record<TextSource, number>;
  pattern: RegExp;
  /** Also tried on the reading with leetspeak undone ("1gn0re"). */
  leet?: boolean;
  /** Tried on the text as it came, before normalisation (for the characters normalisation removes). */
  raw?: boolean;
  /** Scales the weight by what the match says (e.g. a user withdrawing their own earlier request). */
  scale?: (match: string) => number;
}

export const FLAG_THRESHOLD = 3;

/**
 * The local classifier's vote (injection-classifier.ts), by its probability: one more sign, never
 * enough alone, because it was trained on general chat and fires on ordinary support phrases.
 */
export const CLASSIFIER_WEIGHTS: readonly { probability: number; weight: number }[] = [
  { probability: 0.9, weight: 1.5 },
  { probability: 0.7, weight: 1 },
];

/** Instructions that are not the agent's: delivery, care, assembly… ("ignore the previous delivery instructions"). */
const MUNDANE_INSTRUCTIONS =
  '(?<!\\b(?:delivery|shipping|courier|driver|care|washing|assembly|return|returns|packing|installation|setup|set-up|cleaning|gift|wrapping|parking|access|door|drop-off|pickup|pick-up)\\s)';

/** Speaks of the writer's own earlier words ("ignore my previous instructions"), which is ordinary. */
const firstPersonScale = (match: string) => (/\b(?:my|our|I|we|me)\b/i.test(match) ? 1 / 3 : 1);

export const INJECTION_RULES: readonly InjectionRule[] = [
  {
    id: 'override_instructions',
    weight: { user: 3, tool: 3 },
    leet: true,
    scale: firstPersonScale,
    pattern: new RegExp(
      "\\b(?:ignore|disregard|forget|override|overrule|bypass|abandon|set aside|(?:do not|don't|stop) (?:follow(?:ing)?|obey(?:ing)?))\\b" +
        '(?:[^.!?\\n]{0,40}?\\b(?:previous|prior|above|earlier|preceding|foregoing|original|initial|all|any|every|your|system|existing|safety)\\b' +
        `[^.!?\\n]{0,30}?${MUNDANE_INSTRUCTIONS}\\b(?:instructions?|rules|directives|prompts?|guidelines|guardrails|programming|restrictions|policies)\\b` +
        '(?!\\s+(?:I|we)\\s+(?:gave|sent|wrote|left|added|provided|made|mentioned))' +
        "|[^.!?\\n]{0,20}?\\b(?:instructions?|rules|directives|prompts?|guidelines|what|everything|anything)\\s+(?:you (?:were|have been|'ve been) (?:given|told|trained)|(?:the )?(?:operator|developer|system|admin|company) (?:told|gave|said)))",
      'i',
    ),
  },
  {
    id: 'override_foreign_language',
    weight: { user: 3, tool: 3 },
    pattern:
      /\b(?:ignora|ignorar|ignorez|ignorer|ignoriere|ignorieren|negeer|vergiss|olvida|oublie)\b[^.!?\n]{0,50}\b(?:instrucciones|instructions|consignes|anweisungen|instruktionen|instructies|instruções|istruzioni|regeln|reglas|règles)\b/i,
  },
  {
    id: 'mode_switch',
    weight: { user: 3, tool: 3 },
    leet: true,
    pattern:
      /\b(?:(?:developer|god|admin|debug|unrestricted|jailbreak|dan|sudo|unfiltered|root)\s+mode|jailbr(?:eak|oken)|do anything now|(?:system|admin|administrator|security|developer)\s+override)\b/i,
  },
  {
    id: 'new_instructions',
    weight: { user: 2.5, tool: 3 },
    leet: true,
    pattern:
      /\b(?:new|updated|revised|real|actual|true|hidden|secret|priority)\s+(?:instructions?|task|directives?|objective|system prompt|rules?|policy from (?:hq|headquarters|management|it))\b\s*(?:for (?:the |any |all )?(?:[a-z]+ ){0,2}(?:ai|assistant|agent|model|bot|llm)s?\s*)?[:\-–—]/i,
  },
  {
    id: 'addressed_to_the_ai',
    weight: { user: 1.5, tool: 2.5 },
    pattern:
      /\b(?:(?:note|message|instructions?|attention|attn|reminder|memo|directive|p\.?s\.?) (?:to|for) (?:the |any |all |an? )?(?:[a-z]+ )?(?:ai|assistant|agent|chatbot|bot|llm|language model|model|gpt)s?\b|(?:dear|hey|hi|hello|attention|attn)[:,]? (?:the |any |an? )?(?:automated |autonomous )?(?:ai|assistant|chatbot|bot|llm|language model|ai model|ai agent|automated agent|gpt|chatgpt)\b|(?:attention|attn)[:,]? (?:the |any |an? )?automated (?:agent|system|reader)|if you are an? (?:ai|assistant|language model|llm|chatbot|bot)\b|(?:ai|llm) (?:assistant|agent|model)s? (?:reading|processing|handling|summari[sz]ing) this|(?:for|to) (?:any|all|every) (?:llm|ai|language model|assistant|bot)s?\b|(?:when|once|if) (?:you|the (?:model|ai|assistant|bot)) (?:read|reads|see|sees|process|processes) this\b)/i,
  },
  {
    id: 'role_reassignment',
    weight: { user: 2, tool: 2.5 },
    pattern:
      /\b(?:you(?:'re| are) now (?:a|an|in|acting|operating|my new|the|no longer|[A-Z]\w*bot)|you(?:'re| are) (?:now )?in (?:\w+ )?mode\b|from (?:now on|this point on),? you (?:are|will|must|should|shall)|from (?:now on|this point on),? (?:ignore|answer|act|respond|reply)|you must now|you will now|pretend (?:to be|you are|that|the)|act as (?:if you were )?(?:an? |my )?(?:unrestricted|unfiltered|evil|different|new|jailbroken|admin)|answer as an? (?:unrestricted|unfiltered|uncensored|different)|as (?:the|an|this) (?:ai|assistant|agent|language model|chatbot|bot)\b[^.\n]{0,20}\b(?:you )?(?:must|should|shall|need to|are (?:required|instructed|authori[sz]ed)))/i,
  },
  {
    id: 'new_task',
    weight: { user: 2, tool: 2.5 },
    pattern:
      /\b(?:your|the assistant's|the bot's) (?:new |real |true |actual |only )?(?:task|role|job|goal|purpose|objective|mission|instructions?) (?:is|are|now|has changed)\b/i,
  },
  {
    id: 'directive_to_the_ai',
    weight: { user: 1, tool: 2 },
    pattern:
      /\b(?:the |any |all )?(?:ai|assistant|agent|chatbot|bot|model|llm)s?\b[^.\n]{0,25}\b(?:must|shall|is (?:required|instructed|authori[sz]ed) to|are (?:required|instructed|authori[sz]ed) to)\b/i,
  },
  {
    id: 'prompt_extraction',
    weight: { user: 3, tool: 3 },
    leet: true,
    pattern:
      /\b(?:reveal|print|show|repeat|recite|output|display|dump|leak|expose|disclose|tell me|give me|share|copy|paste|quote|translate|summari[sz]e|spell out|write out|list|include|what(?:'s| is| are| were| was| does)|whats)\b[^.!?\n]{0,40}?\b(?:(?:the |your |ur )?(?:full |entire |complete |exact |original )?system (?:prompt|message|instructions)|(?:initial|original|hidden|secret|internal|confidential|developer|operator) (?:instructions|prompt|rules|marker)|developer message|pre-?prompt|(?:your |the )?canary|(?:everything|all the text|the text|the words|everything written)(?: (?:that|which) (?:comes?|came|is|was|appears?))? (?:above|before (?:this|my|our|the (?:first|conversation)))|(?:the )?(?:configuration|instructions|rules|prompt|settings|directives) (?:you (?:were|have been|'ve been) (?:given|started|initiali[sz]ed|configured|told|set up|provided|trained)|you (?:received|got|started with))|(?:your|ur|the assistant's|the bot's) (?:(?:exact|full|entire|complete|original|initial|current|real) )?(?:instructions|prompt|directives|configuration|programming|rules|guidelines|hidden rules|secret)\b(?!\s+(?:for|on|about|regarding|of)\b|\s+to\s+(?!(?:the|me|us|them|him|her|customers?|users?)\b)))/i,
  },
  {
    id: 'system_prompt_reference',
    weight: { user: 3, tool: 3 },
    pattern:
      /\b(?:your|ur|the assistant's|the bot's) (?:(?:full|entire|complete|whole|exact|original|current) )?(?:system prompt|system message|hidden prompt|initial instructions|hidden instructions|secret instructions|canary|secret marker|initial prompt)\b/i,
  },
  {
    id: 'system_prompt_mention',
    weight: { user: 1, tool: 1.5 },
    pattern: /\b(?:system prompt|system message|prompt injection|context window)\b/i,
  },
  {
    id: 'role_marker',
    weight: { user: 1.5, tool: 1.5 },
    pattern:
      /(?:^|[\n"'\]}>(]|\s)(?:system|developer|admin(?:istrator)?|root|assistant|ai|operator)\s*(?:override|message|prompt|note|notice|instruction|command|update|alert)?\s*[:>]\s*\S/i,
  },
  {
    id: 'chat_template',
    weight: { user: 2.5, tool: 3 },
    pattern:
      /<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id)\|>|\[\/?(?:INST|system|admin|assistant|developer)\]|<<\/?SYS>>|#{2,}\s*(?:system|instructions?|new task|assistant)\b|(?:^|\n)\s*(?:system|assistant|developer)\s*>/i,
  },
  {
    id: 'delimiter_escape',
    weight: { user: 3, tool: 3 },
    pattern:
      /<\/?\s*(?:untrusted[\w-]*|tool[_-]?(?:output|result|data|response)|system|instructions?|assistant|conversation_summary|function[_-]?results?)\b[^>]{0,60}>|\b(?:END|BEGIN) (?:OF )?(?:TOOL |UNTRUSTED |SYSTEM |TRUSTED |ADMIN |USER )?(?:OUTPUT|DATA|RESULTS?|DOCUMENT|CONTEXT|INSTRUCTIONS|PROMPT|MESSAGE|INPUT|CONVERSATION)\b/,
  },
  {
    id: 'override_context',
    weight: { user: 2.5, tool: 3 },
    leet: true,
    pattern:
      /\b(?:ignore|disregard|forget)\b (?:all (?:of )?)?(?:(?:the |everything |anything |what(?:ever)? (?:was|is|has been) (?:said|written) )?(?:above|before this|previously said)|(?:what|everything|anything) (?:the (?:operator|developer|system|admin|company)|you were|you've been) (?:told|said|gave|given)(?: you)?)\b/i,
  },
  {
    id: 'email_directive',
    weight: { user: 0.5, tool: 2 },
    pattern:
      /(?<!\b(?:was|were|been|has|have|had|is|are)\s)\b(?:send|forward|e-?mail|mail|cc|bcc|transmit|export|upload|copy)\b[^\n]{0,80}?\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:must|should|shall|needs? to|has to|is to) be (?:sent|forwarded|e-?mailed|mailed|copied|exported|uploaded)\b[^\n]{0,60}?\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/i,
  },
  {
    id: 'refund_directive',
    weight: { user: 0.5, tool: 2 },
    pattern:
      /\b(?:issue|process|make|grant|approve|execute|initiate|trigger|give|pay out|send)\b[^.\n]{0,25}\b(?:a |the |an )?(?:full |partial |immediate |complete |maximum )?refunds?\b|(?:^|[.!:;,]\s*|\b(?:please|must|should|now|immediately|and|then|to)\s+)refund\b(?!\s+(?:was|is|has|had|issued|processed|completed|sent|requested|pending|approved|of|amount|status|policy)\b)(?:[^.\n]{0,50}\b(?:in full|immediately|right away|right now|at once|without|to (?:the |this |another )?(?:card|account|wallet|iban|paypal))| (?:the )?(?:order )?#?[A-Z]\d{3,})/i,
  },
  {
    id: 'tool_invocation',
    weight: { user: 1.5, tool: 2.5 },
    pattern:
      /\b(?:issue_refund|send_email|handoff_to_human)\b|\b(?:call|invoke|use|run|execute|trigger)\s+(?:the\s+)?`?[a-z]+_[a-z_]+`?\s+(?:tool|function)\b/i,
  },
  {
    id: 'authority_claim',
    weight: { user: 1, tool: 1.5 },
    pattern:
      /\b(?:pre-?approved|pre-?authori[sz]ed|pre-?confirmed|(?:i )?confirm(?:ed)? (?:it )?in advance|(?:has|have|is|are|was) already (?:been )?(?:approved|authori[sz]ed|confirmed)|(?:it|this) is already (?:approved|authori[sz]ed|confirmed)|authori[sz]ed by (?:the )?(?:admin|administrator|manager|security|management|ceo|owner|compliance|legal|support team)|(?:the )?(?:customer|user|admin|manager) has (?:already )?(?:consented|agreed|approved|authori[sz]ed|confirmed)|this is an? (?:official|authori[sz]ed|verified|priority) (?:request|instruction|message|notice|order)|(?:per|by) order of (?:the )?(?:admin|management|ceo|security))\b/i,
  },
  {
    id: 'claimed_privilege',
    weight: { user: 2.5, tool: 2 },
    pattern:
      /\b(?:as (?:an? |the )?(?:admin|administrator|developer|owner|ceo|root user|superuser|staff member|employee|moderator|operator)(?: of [\w ]{1,30})?,? (?:i|we) (?:authori[sz]e|approve|order|command|instruct|allow|permit)|i(?:'m| am) (?:your|the|an?) (?:developer|admin|administrator|creator|owner|operator|programmer|maker)\b|(?:security|admin|override|authori[sz]ation|access) code:? ?\w{3,})\b/i,
  },
  {
    id: 'fake_api_payload',
    weight: { user: 2, tool: 2 },
    pattern:
      /\{\s*\\?"(?:approve|approved|confirmed|confirmation|role|system|admin|authorized|is_admin)\\?"\s*:/i,
  },
  {
    id: 'secrets_request',
    weight: { user: 0.5, tool: 0.5 },
    pattern:
      /\b(?:passwords?|api keys?|credentials|secret keys?|access tokens?|card numbers?|cvv|security codes?)\b/i,
  },
  {
    id: 'secrecy',
    weight: { user: 1, tool: 2 },
    pattern:
      /\b(?:(?:do not|don't|never|without) (?:tell|inform|notify|mention|alert|warn|consult)(?:ing)? (?:the |this )?(?:user|customer|human|person|client|them|anyone|me)|(?:quietly|silently|secretly|covertly|discreetly) (?:e-?mail|send|forward|refund|issue|process|execute|call|add|include|copy|execute|transfer)|(?:executed|processed|done|handled|sent|issued) (?:silently|quietly|secretly|covertly)|say nothing|tell no one|without (?:the (?:user|customer) |anyone )?(?:noticing|knowing))\b/i,
  },
  {
    id: 'confirmation_bypass',
    weight: { user: 2.5, tool: 2 },
    pattern:
      /\b(?:without (?:asking (?:me |them |the (?:user|customer) )?(?:for |to )?|requesting |waiting for |my |any |a )?(?:confirmation|approval|consent|permission|confirming)|without (?:asking|checking)(?! for (?:a |the )?(?:reason|receipt|signature))|no (?:need|reason) to (?:confirm|ask|check|verify)|no questions asked|(?:skip|disable|bypass|turn off|remove) (?:the |your |any )?(?:confirmation|verification|approval)(?: step| prompt| check| button)?|(?:do not|don't|never) (?:ask|wait) (?:me |them )?for (?:confirmation|approval|permission)|(?:do not|don't) ask (?:me|them|the (?:user|customer))\b(?! (?:about|why|what|how))|no longer (?:need|have) to (?:ask|confirm|wait)|(?:no longer|don't|do not) need (?:the (?:user|customer) )?to confirm|(?:the )?confirmation (?:button |step )?(?:was|has been|is) (?:already )?(?:clicked|given|pressed|done|approved))/i,
  },
  {
    id: 'exfiltration_link',
    weight: { user: 2, tool: 3 },
    pattern:
      /!\[[^\]]{0,100}\]\(\s*https?:\/\/[^)\s]{1,300}\)|\bhttps?:\/\/[^\s"')]{1,200}[?&][\w-]{1,30}=\s*(?:\{|\[|<|%7B)|\b(?:append|add|include|put)\b[^.\n]{0,40}\b(?:to|in|into) (?:the |this )?(?:url|link|query string)\b/i,
  },
  {
    id: 'decode_and_follow',
    weight: { user: 2, tool: 2 },
    pattern:
      /\b(?:base64|rot13|hex|url)[- ]?(?:decode|decoded|encoded)\b|\b(?:decode|decipher|deobfuscate)\s+(?:this|the following|it)\b[^.\n]{0,20}\b(?:follow|execute|run|do|obey)\b/i,
  },
  {
    id: 'encoded_blob',
    weight: { user: 0.5, tool: 1.5 },
    pattern: /[A-Za-z0-9+/]{40,}={0,2}/,
  },
  {
    id: 'rules_suspended',
    weight: { user: 2.5, tool: 2.5 },
    pattern:
      /\b(?:(?:rules|instructions|policies|guidelines|restrictions|guardrails|safeguards|limits?)\b[^.\n]{0,15}\b(?:no longer apply|do not apply|don't apply|are (?:void|suspended|lifted|disabled|off|waived)|(?:is|are) (?:suspended|lifted|disabled|off|void))|with(?:out)? (?:no|any) (?:rules|restrictions|limits|guardrails|filters|safety)|no (?:rules|restrictions|guardrails|filters) apply|(?:your|the assistant's) (?:instructions|rules|prompt|configuration|guidelines|policies|directives) (?:have|has) (?:been )?(?:updated|changed|replaced|revoked|overridden|superseded)|(?:supersedes?|overrides?|takes? precedence over|replaces?) (?:your|the assistant's|all (?:of )?your|any (?:previous|prior|other)) (?:configuration|instructions|rules|prompt|system prompt|guidelines|directives|programming)|(?:override|bypass|disable|turn off|ignore) (?:the |all |your |any )?safety (?:checks|filters|rules|measures|guardrails|settings))\b/i,
  },
  {
    id: 'hidden_characters',
    weight: { user: 1, tool: 2 },
    raw: true,
    pattern: INVISIBLE_CHARACTERS,
  },
];
