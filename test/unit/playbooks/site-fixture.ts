import type { SiteConfig } from '../../../site/site-config.js';

/** A recorded site as `site provision --domain shop.example.com --container shop --port 3000` leaves it. */
export const site: SiteConfig = {
  version: 1,
  domain: 'shop.example.com',
  container: 'shop',
  port: 3000,
  www: true,
  auth: false,
};
