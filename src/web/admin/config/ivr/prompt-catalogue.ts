import type { Prompt } from '../../../../api/schemas/config-schemas';
import { api } from '../../../shared/api-client';

/** One prompt in one language, as GET /api/prompts lists it. */
export type PromptRow = Prompt;

export function loadPrompts(): Promise<PromptRow[]> {
  return api.get<PromptRow[]>('/api/prompts');
}

/** Replaces (or creates, with its text) a prompt's recording; the server converts it for the media server. */
export function uploadPrompt(id: string, language: string, file: Blob, text?: string): Promise<PromptRow> {
  const query = text ? `?text=${encodeURIComponent(text)}` : '';
  return api.upload<PromptRow>('PUT', `/api/prompts/${encodeURIComponent(id)}/${encodeURIComponent(language)}/audio${query}`, file, 'audio/wav');
}

/** A URL to play the prompt from (a short-lived ticket, not the session token): ask for it when it is played. */
export function promptAudioUrl(id: string, language: string): Promise<string> {
  return api.ticketUrl(`/api/prompts/${encodeURIComponent(id)}/${encodeURIComponent(language)}/audio`);
}

export function findPrompt(prompts: readonly PromptRow[], id: string, language: string): PromptRow | undefined {
  return prompts.find((p) => p.id === id && p.language === language);
}
