/** Response header of a sign-up or sign-in by a guest: how many of the guest's conversations moved to the account. */
export const MOVED_CONVERSATIONS_HEADER = "x-forkline-moved-conversations";
