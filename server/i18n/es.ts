import type { VisitorCatalogue } from './en.js';

export const es: VisitorCatalogue = {
  launcherRegion: 'Chat',
  launcherOpen: 'Abrir chat',
  launcherUnread: 'Abrir chat ({n} sin leer)',
  proactiveClose: 'Cerrar el mensaje',
  prechatConsent:
    'Acepto que los datos que doy aquí se usen para responderme, como describe la política de privacidad.',
  handoff:
    'Paso esta conversación a una persona. Quédate aquí: alguien del equipo te responderá en este chat.',
  handoffAction: 'Hablar con una persona',
  ratingPrompt: '¿Qué tal lo hicimos? Valora esta conversación del 1 al 5.',
  awayUntil:
    'Nuestro equipo no está disponible ahora. Alguien te responderá a partir del {day} a las {time} ({zone}).',
  awayNoHours:
    'Nuestro equipo no está disponible ahora y no tiene horario previsto; alguien te responderá lo antes posible.',
  emailKnown: 'Tenemos tu correo electrónico y también te responderemos allí.',
  emailOffer:
    'Si nos dejas tu correo electrónico, también te responderemos por correo. Solo lo usaremos para responder a esta consulta.',
  emailThanks: 'Gracias. También responderemos a {email}.',
  chooseOption: 'Elige una de las opciones de abajo.',
  skip: 'Omitir',
  suggestions: 'No estoy seguro de tener la respuesta. ¿Es alguna de estas?',
  noAnswer:
    'Lo siento, no encontré una respuesta. Prueba a preguntarlo de otra forma o habla con una persona.',
  retryEmail: 'Eso no parece un correo electrónico. Escríbelo así: nombre@example.com.',
  retryPhone: 'Eso no parece un número de teléfono. Usa dígitos, opcionalmente con + delante.',
  retryOrderNumber: 'Eso no parece un número de pedido. Tiene de 3 a 40 letras, dígitos o guiones.',
  retryText: 'Responde con {max} caracteres como máximo.',
  mailSubjectReplies: 'Nueva respuesta en tu conversación',
  mailSubjectFollowUp: 'Una respuesta en tu conversación',
  mailSubjectTranscript: 'La transcripción de tu conversación',
  mailIntroTranscript: 'Aquí tienes la transcripción que pediste.',
  mailIntroAnswerByMail: 'Tienes una respuesta en tu conversación. Responde a este correo para contestar.',
  mailIntroAnswerInChat:
    'Tienes una respuesta en tu conversación. Abre el chat en el sitio web para contestar.',
  mailReplyMarker: '##- Escribe tu respuesta encima de esta línea -##',
  mailYou: 'Tú',
  mailFile: '[un archivo: abre el chat para verlo]',
  mailStop: 'Dejar de recibir estos correos',
  callStartedAudio: '{agent} inició una llamada de voz.',
  callStartedVideo: '{agent} inició una videollamada.',
  callAccepted: 'Se aceptó la llamada.',
  callDeclined: 'Se rechazó la llamada.',
  callMissed: 'Llamada perdida.',
  callEnded: 'La llamada terminó después de {duration}.',
};
