/** The single local owner until accounts exist; every query is still scoped by it. */
export const LOCAL_USER_ID = "local";

/** The id of the user making the request. */
export async function currentUserId(_request: Request): Promise<string> {
  return LOCAL_USER_ID;
}
