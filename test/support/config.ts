/** The settings production mode cannot start without (placeholder services), for tests of the configuration. */
export function productionEnv(secretKey: string, sealKey: string) {
  return {
    VARCO_MODE: 'production',
    VARCO_SECRET_KEY: secretKey,
    VARCO_PUBLIC_URL: 'https://pin.example.it',
    SMTP_URL: 'smtp://mail:25',
    SMS_GATEWAY_URL: 'https://sms.example.it/send',
    VARCO_AUDIT_SEAL_KEY: sealKey,
  };
}
