/** Where a participant stands in admission (product.md section 4). */
export const PARTICIPANT_STATES = [
  'invited',
  'waiting',
  'admitted',
  'stepped_out',
  'declined',
  'left',
] as const;
export type ParticipantState = (typeof PARTICIPANT_STATES)[number];
