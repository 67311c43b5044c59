export * from './hub-transit-gateway';
export * from './hybrid-vpn';
