export const footer = (): string => `© ${new Date().getFullYear()} Contoso`;
