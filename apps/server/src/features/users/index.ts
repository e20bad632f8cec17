/** What other features may use from users. */
export { UserSchema, toUserDto, getUser, findUserByEmail, usernameTaken, usernameTakenError, freeUsername, type UserDto } from './data.ts';
export { deleteAccount } from './mutations.ts';
