/**
 * What the caller asked for in the IVR (or what an operator chose on a
 * transfer). Routing rules match on the intent; the enquiry topic and the free
 * text only travel with the decision for the person who answers.
 */
export const CALLER_INTENTS = ['order', 'enquiry', 'other', 'operator', 'complaint', 'second_line'] as const;
export type CallerIntent = (typeof CALLER_INTENTS)[number];

export const ENQUIRY_TOPICS = ['price', 'assortment', 'delivery'] as const;
export type EnquiryTopic = (typeof ENQUIRY_TOPICS)[number];

export interface CallerChoice {
  readonly intent: CallerIntent;
  /** Only meaningful for `enquiry`. */
  readonly topic?: EnquiryTopic;
  /** Anything the caller said or typed that is not a menu choice (speech, a note from a transfer). */
  readonly text?: string;
}

/** Words used in routing reasons ("price enquiry from market client"). */
export function describeChoice(choice: CallerChoice): string {
  switch (choice.intent) {
    case 'order':
      return 'order';
    case 'enquiry':
      return choice.topic ? `${choice.topic} enquiry` : 'enquiry';
    case 'other':
      return 'other matter';
    case 'operator':
      return 'operator request';
    case 'complaint':
      return 'complaint';
    case 'second_line':
      return 'second-line request';
  }
}
