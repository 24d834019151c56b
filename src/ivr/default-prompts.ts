import { GREETING_VARIANT_TEXTS } from './greeting-variant-prompts';
import { OPENING_HOURS_CATALOGUE } from './opening-hours';
import type { PromptCatalogue } from './prompt-catalogue';
import { QUEUE_WAIT_TEXTS } from './queue-wait-prompts';

/**
 * Texts of the shipped prompts, in every language the default flow offers.
 * The audio files (`<language>/<id>.wav`, 8 kHz) are generated from these
 * texts by the prompt script; edit the text here, then regenerate.
 */
const TEXTS: Readonly<Record<string, { en: string; ru: string }>> = {
  greeting: {
    en: 'Hello, you have reached the sales department. This call may be recorded.',
    ru: 'Здравствуйте, вы позвонили в отдел продаж. Разговор может быть записан.',
  },
  main_menu: {
    en: 'To place an order, press 1. For prices, assortment or delivery, press 2. For any other matter, press 3. For a complaint, press 4. For technical support, press 5. To speak to an operator, press 0.',
    ru: 'Чтобы сделать заказ, нажмите 1. Цены, ассортимент и доставка — 2. По другому вопросу — 3. Жалоба — 4. Техническая поддержка — 5. Чтобы поговорить с оператором, нажмите 0.',
  },
  enquiry_menu: {
    en: 'For prices, press 1. For the assortment, press 2. For delivery, press 3.',
    ru: 'Цены — нажмите 1. Ассортимент — 2. Доставка — 3.',
  },
  no_input: {
    en: 'Sorry, we did not hear your choice.',
    ru: 'Извините, мы не услышали ваш выбор.',
  },
  invalid_choice: {
    en: 'Sorry, that is not one of the options.',
    ru: 'Извините, такого варианта нет.',
  },
  debt_notice: {
    en: 'Our records show an outstanding balance on your account. Orders can be accepted once it is settled. We will now connect you with your manager.',
    ru: 'По нашим данным, у вас есть задолженность. Заказ может быть принят после её погашения. Сейчас мы соединим вас с вашим менеджером.',
  },
  connecting: {
    en: 'Please hold, we are connecting you.',
    ru: 'Пожалуйста, оставайтесь на линии, мы вас соединяем.',
  },
  // The hours follow as `opening_hours`, said from the published schedule (opening-hours.ts).
  after_hours: {
    en: 'We are closed now.',
    ru: 'Сейчас мы не работаем.',
  },
  callback_offer: {
    en: 'To have us call you back when we open, press 1.',
    ru: 'Чтобы мы перезвонили вам, когда начнём работу, нажмите 1.',
  },
  callback_confirmed: {
    en: 'Thank you. We will call you back.',
    ru: 'Спасибо. Мы вам перезвоним.',
  },
  voicemail_greeting: {
    en: 'Please leave your message after the tone, then press the hash key or hang up.',
    ru: 'Пожалуйста, оставьте сообщение после сигнала, затем нажмите решётку или положите трубку.',
  },
  goodbye: {
    en: 'Thank you for calling. Goodbye.',
    ru: 'Спасибо за звонок. До свидания.',
  },
  ...GREETING_VARIANT_TEXTS,
  ...QUEUE_WAIT_TEXTS,
};

/** The shipped prompt catalogue: one entry per prompt id and language. */
export const DEFAULT_PROMPTS: PromptCatalogue = [...Object.entries(TEXTS).flatMap(([id, byLanguage]) => [
  { id, language: 'en', text: byLanguage.en },
  { id, language: 'ru', text: byLanguage.ru },
]), ...OPENING_HOURS_CATALOGUE];
