/** One problem found in a payload. */
export interface PayloadIssue {
  path: (string | number)[];
  message: string;
}
