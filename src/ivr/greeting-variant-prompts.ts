/**
 * The shipped greeting's variants (issue 17): one of the seed call centres
 * rotates several greetings, some recorded by department heads, some by
 * operators, so that regular callers do not hear the same words every day.
 * The default flow's greeting node rotates through `greeting` and these.
 */
export const GREETING_VARIANT_TEXTS: Readonly<Record<string, { en: string; ru: string }>> = {
  greeting_head_wholesale: {
    en: 'Good day, this is the head of wholesale sales. Thank you for calling us. This call may be recorded.',
    ru: 'Добрый день, с вами руководитель отдела оптовых продаж. Спасибо, что позвонили нам. Разговор может быть записан.',
  },
  greeting_head_retail: {
    en: 'Hello, this is the retail sales department. We are glad to hear from you. This call may be recorded.',
    ru: 'Здравствуйте, это отдел розничных продаж. Рады вашему звонку. Разговор может быть записан.',
  },
  greeting_operator_day: {
    en: 'Hello, and thank you for calling the sales department. Our operators are ready to take your order. This call may be recorded.',
    ru: 'Здравствуйте, спасибо за звонок в отдел продаж. Наши операторы готовы принять ваш заказ. Разговор может быть записан.',
  },
  greeting_operator_news: {
    en: 'Hello, you have reached the sales department. Ask your operator about this week\'s new arrivals. This call may be recorded.',
    ru: 'Здравствуйте, вы позвонили в отдел продаж. Спросите оператора о новинках этой недели. Разговор может быть записан.',
  },
};

/** The greeting node's variants, in rotation order: the original greeting first. */
export const DEFAULT_GREETING_VARIANTS: readonly string[] = ['greeting', ...Object.keys(GREETING_VARIANT_TEXTS)];
