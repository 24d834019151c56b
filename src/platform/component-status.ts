/** Live state of one real component (SIP, media, TLS…), shown on /readyz and in metrics; owned by whoever runs it. */
export interface ComponentStatus {
  name: string;
  state: 'up' | 'down' | 'disabled';
  /** Whether the service is unready while this component is down. */
  required: boolean;
  detail?: string;
}
