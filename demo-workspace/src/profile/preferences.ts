export interface NotificationPreferences {
  readonly orderUpdates: boolean;
  readonly newsletter: boolean;
}

export interface Profile {
  readonly name: string;
  readonly phone?: string;
  readonly notifications: NotificationPreferences;
}

export const defaultProfile = (name: string): Profile => ({ name, notifications: { orderUpdates: true, newsletter: false } });

// TODO AB#9 let customers change their name, phone number and notification preferences from the profile page
export function describe(profile: Profile): string {
  const emails = Object.entries(profile.notifications)
    .filter(([, on]) => on)
    .map(([kind]) => kind);
  return `${profile.name}${profile.phone ? ` (${profile.phone})` : ''}, emails: ${emails.join(', ') || 'none'}`;
}
