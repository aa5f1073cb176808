/** Runs one step of a submission; if it throws, what was taken for it is given back before the error goes on. */
export async function releaseOnFailure<T>(step: () => Promise<T>, release: () => Promise<void>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await release();
    throw error;
  }
}
