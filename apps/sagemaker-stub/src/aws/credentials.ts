/** Static credentials for the SDK clients (tests); without them the SDK's default provider chain applies. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
